"""The task page shows each unit's latest report and one page of the older ones: its query
count is the same with 19 reports and with 190, and the history pages through all of them."""

import datetime

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from departments.models import Department
from tasks.history import HISTORY_PER_PAGE
from tasks.models import ProgressReport, TaskUnit
from tasks.periods import parse_period_key

from .base import BaseTestCase

WEEKS = 19  # weeks 1–19 of 2022, all before the page's as-of date (week 20)


@override_settings(AS_OF_DATE="2022-05-18")
class TaskPageHistoryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.target = cls.task["15"]
        cls.target.reports.all().delete()
        others = Department.objects.exclude(pk=cls.drc.pk).order_by("pk")
        cls.units = [cls.drc, *others[:9]]
        TaskUnit.objects.filter(task=cls.target).exclude(department=cls.drc).delete()
        TaskUnit.objects.bulk_create(
            TaskUnit(
                task=cls.target,
                role="cooperating",
                position=i + 2,
                department=unit,
                written_name=unit.name,
            )
            for i, unit in enumerate(cls.units[1:])
        )

    def add_reports(self, units, *, state="submitted"):
        rows = []
        for unit in units:
            for week in range(1, WEEKS + 1):
                period = parse_period_key(f"2022-W{week:02d}")
                rows.append(
                    ProgressReport(
                        task=self.target,
                        department=unit,
                        role="lead" if unit == self.drc else "cooperating",
                        period_key=period.key,
                        period_start=period.start,
                        period_end=period.end,
                        state=state,
                        progress=f"{unit.name}第{week}周进展",
                        percent=week * 5 if unit == self.drc else None,
                        created_by=self.staff,
                        updated_by=self.staff,
                        submitted_at=datetime.datetime.combine(
                            period.end, datetime.time(9), tzinfo=datetime.UTC
                        ),
                    )
                )
        ProgressReport.objects.bulk_create(rows)

    def get(self, user, params=None):
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.target.get_absolute_url(), params or {})
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def test_the_task_page_runs_the_same_queries_with_ten_times_the_reports(self):
        self.get(self.office)  # the process's first request reads the plans once (warm-up)
        # 1 (user with profile, leader and unread notifications; the session is read from
        # Redis) + revision (the plan, and the task with section, parent, sub-items, leaders,
        # units, state and charts are kept figures: tasks.task_page); timeline: each unit's
        # latest report with the number of all, the page of the older ones, their attachments
        # and indicator values (3: one query for both since 2026-12-01); whether the task has
        # any audit trail, node plan proposal, extension or closure application, instruction
        # (1: it has none, so none of them is read) = 6
        self.add_reports(self.units[:1])  # 19 reports
        small_response, small = self.get(self.office)
        self.add_reports(self.units[1:])  # 190
        big_response, big = self.get(self.office)
        self.assertEqual((small, big), (6, 6))
        self.assertEqual(len(small_response.context["timeline"].latest), 1)
        self.assertEqual(len(big_response.context["timeline"].latest), 10)
        self.assertEqual(len(big_response.context["timeline"].history), HISTORY_PER_PAGE)

    def test_each_unit_shows_its_latest_report_lead_unit_first(self):
        self.add_reports(self.units[:3])
        response, _ = self.get(self.office)
        latest = response.context["timeline"].latest
        self.assertEqual([r.period_key for r in latest], ["2022-W19"] * 3)
        self.assertEqual(latest[0].department_id, self.drc.pk)
        self.assertEqual({r.department_id for r in latest}, {u.pk for u in self.units[:3]})
        self.assertContains(response, f"{self.drc.name}第19周进展")

    def test_the_history_pages_through_every_older_report_newest_first(self):
        self.add_reports(self.units[:2])  # 38 reports: 2 latest, 36 older = 4 pages of 10
        seen = []
        for page in range(1, 5):
            response, _ = self.get(self.office, {"history": page})
            history = response.context["timeline"].history
            self.assertEqual(history.paginator.num_pages, 4)
            seen += list(history)
        self.assertEqual(len(seen), 36)
        self.assertEqual(len({r.pk for r in seen}), 36)
        starts = [r.period_start for r in seen]
        self.assertEqual(starts, sorted(starts, reverse=True))
        self.assertEqual(starts[0], parse_period_key("2022-W18").start)
        latest = {r.pk for r in response.context["timeline"].latest}
        self.assertFalse(latest & {r.pk for r in seen})

    def test_the_pager_links_keep_the_period_and_mark_the_current_page(self):
        self.add_reports(self.units[:2])
        response, _ = self.get(self.office, {"period": "2022-W19", "history": 2})
        self.assertContains(response, 'aria-label="往期报送分页"')
        self.assertContains(
            response, 'href="?period=2022-W19&amp;history=2#history" aria-current="page"'
        )
        self.assertContains(response, 'href="?period=2022-W19&amp;history=3#history">下一页')
        self.assertContains(response, 'href="?period=2022-W19&amp;history=1#history">上一页')

    def test_a_page_number_that_is_not_one_gives_a_page_not_an_error(self):
        self.add_reports(self.units[:2])
        for value in ("abc", "-1", "0", "99999999999999999999", "2.5"):
            with self.subTest(history=value):
                response, _ = self.get(self.office, {"history": value})
                self.assertIn(response.context["timeline"].history.number, {1, 4})

    def test_another_units_draft_is_neither_latest_nor_history(self):
        self.add_reports(self.units[:1])
        town = Department.objects.get(name="堂邑镇")
        self.add_reports([town], state="draft")
        response, _ = self.get(self.staff)
        timeline = response.context["timeline"]
        # The drc's 19 reports: its latest and the 18 older ones, none of the town's drafts.
        self.assertEqual(timeline.history.paginator.count, WEEKS - 1)
        shown = {r.department_id for r in [*timeline.latest, *timeline.history]}
        self.assertEqual(shown, {self.drc.pk})
        self.assertNotContains(response, "堂邑镇第19周进展")

    def test_a_units_own_drafts_are_its_latest_and_history(self):
        self.add_reports(self.units[:1])
        town = Department.objects.get(name="堂邑镇")
        TaskUnit.objects.get_or_create(
            task=self.target,
            department=town,
            defaults={"role": "cooperating", "position": 20, "written_name": town.name},
        )
        self.add_reports([town], state="draft")
        response, _ = self.get(self.town_staff)
        timeline = response.context["timeline"]
        self.assertEqual([r.department_id for r in timeline.latest], [self.drc.pk, town.pk])
        self.assertEqual(timeline.latest[1].state, "草稿")
        self.assertEqual(timeline.history.paginator.count, 2 * (WEEKS - 1))
        self.assertContains(response, "堂邑镇第19周进展")
        response, _ = self.get(self.office)  # the office reads none of them
        self.assertEqual(len(response.context["timeline"].latest), 1)
        self.assertNotContains(response, "堂邑镇第19周进展")

    def test_the_timeline_shows_exactly_the_reports_the_rule_lets_each_person_read(self):
        # tasks.timeline_sql's SQL against the rule (tasks.access.reports_visible_to), for
        # every kind of account, with drafts and returned reports of two units.
        from tasks.access import reports_visible_to
        from tasks.history import timeline_for

        town = Department.objects.get(name="堂邑镇")
        TaskUnit.objects.get_or_create(
            task=self.target,
            department=town,
            defaults={"role": "cooperating", "position": 20, "written_name": town.name},
        )
        self.add_reports(self.units[:2])
        self.add_reports([town], state="draft")
        self.target.reports.filter(department=self.units[1], period_key="2022-W03").update(
            state="returned"
        )
        self.target.reports.filter(department=self.drc, period_key="2022-W05").update(state="draft")
        as_of = parse_period_key("2022-W15").end
        for user in (self.office, self.leader, self.staff, self.head, self.town_staff):
            with self.subTest(user=user.username):
                shown, page = [], 1
                while True:
                    timeline = timeline_for(self.target, user=user, as_of=as_of, history_page=page)
                    shown += [r.pk for r in timeline.history]
                    if page == 1:
                        shown += [r.pk for r in timeline.latest]
                    if not timeline.history.has_next():
                        break
                    page += 1
                rule = reports_visible_to(user, self.target.reports.filter(period_start__lte=as_of))
                self.assertEqual(sorted(shown), sorted(rule.values_list("pk", flat=True)))

    def test_a_reports_text_values_and_files_show_escaped_as_on_its_own_page(self):
        from decimal import Decimal

        from django.urls import reverse

        from tasks.models import Attachment, Indicator

        self.add_reports(self.units[:1])
        report = self.target.reports.get(period_key="2022-W19")
        report.progress = "<script>alert(1)</script>完成"
        report.is_late = True
        report.save()
        indicator = Indicator.objects.create(
            task=self.target, name="投资", comparator=">=", target=Decimal("10"), unit="亿元"
        )
        report.values.create(indicator=indicator, actual=Decimal("1200.5000"))
        files = [
            Attachment.objects.create(
                report=report,
                file=f"private/x{i}.pdf",
                original_name=f"<b>证明{i}</b>.pdf",
                size=1,
                content_type="application/pdf",
                uploaded_by=self.staff,
            )
            for i in (1, 2)
        ]
        response, _ = self.get(self.office)
        html = response.content.decode()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;完成", html)
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn(" · 逾期", html)
        self.assertIn(f'href="{reverse("tasks:report_history", args=[report.pk])}"', html)
        links = "、".join(
            f'<a href="{reverse("tasks:attachment", args=[f.pk])}">&lt;b&gt;证明{i}&lt;/b&gt;.pdf</a>'
            for i, f in enumerate(files, 1)
        )
        body = f"<dt>投资</dt><dd>1200.5亿元</dd>\n  <dt>佐证材料</dt><dd>{links}</dd>\n</dl>"
        self.assertIn(body, html)
        own = self.client.get(reverse("tasks:report_history", args=[report.pk])).content.decode()
        self.assertIn(body, own)  # the same body where the report is shown alone

    def test_a_task_without_reports_says_so(self):
        response, _ = self.get(self.office)
        self.assertContains(response, "截至本期尚无报送。")
        self.assertNotContains(response, "往期报送")


@override_settings(AS_OF_DATE="2022-05-18")
class FilterChoicesTests(BaseTestCase):
    def test_the_filters_offer_only_the_plans_leaders_and_units(self):
        from leaders.models import Leader
        from tasks.filters import TaskFilterSet
        from tasks.models import Plan

        from .synthetic import build_plan

        real = Plan.objects.get(year=2022)
        outsider = Department.objects.create(name="外县某局", kind="bureau")
        stranger = Leader.objects.create(name="外县领导", title="副县长")
        other = build_plan(slug="other", year=2023, tasks=3)
        other.tasks.first().unit_links.filter(role="lead").update(department=outsider)
        other.tasks.first().leader_links.update(leader=stranger)
        filters = TaskFilterSet(queryset=real.tasks.all(), plan=real).filters
        leaders = set(filters["leader"].queryset)
        self.assertIn(self.zhangya, leaders)
        self.assertNotIn(stranger, leaders)
        self.assertIn(self.drc, set(filters["lead_unit"].queryset))
        self.assertNotIn(outsider, set(filters["lead_unit"].queryset))
        involved = set(filters["unit"].queryset)
        self.assertIn(self.town, involved)  # through 各镇政府（街道办事处）
        self.assertNotIn(outsider, involved)
