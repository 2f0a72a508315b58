"""The office's week: headings are not tasks, periods as people read them, future periods
refused, the dashboard before and after the deadline, the review queue's filters and batch
采纳, and a status palette that passes WCAG AA."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from reports import rollup
from reports.models import WeeklySnapshot
from reports.overview import period_overview
from tasks import reporting
from tasks.duties import plan_duties
from tasks.models import Plan, ProgressReport, Task, TaskUnit
from tasks.periods import Period, parse_period_key, period_label
from tasks.progress import plan_task_states
from tasks.reportable import is_reportable, plan_reportable_ids, reportable

from .base import BaseTestCase
from .test_weekly_report import add_report

W19, W20, W40 = (parse_period_key(k) for k in ("2022-W19", "2022-W20", "2022-W40"))


class PeriodLabelTests(SimpleTestCase):
    def test_a_week_reads_with_its_number_and_its_days(self):
        self.assertEqual(period_label(W19), "第19周（5月9日—5月15日）")

    def test_a_key_reads_the_same_as_its_period(self):
        self.assertEqual(period_label("2022-W19"), "第19周（5月9日—5月15日）")

    def test_a_week_over_new_year_names_the_other_year(self):
        self.assertEqual(period_label("2022-W52"), "第52周（12月26日—2023年1月1日）")

    def test_a_month_reads_with_its_year(self):
        self.assertEqual(period_label(Period("monthly", 2022, 5)), "2022年5月")

    def test_something_that_is_no_key_comes_back_unchanged(self):
        self.assertEqual(period_label("本周"), "本周")


class ReportableRuleTests(SimpleTestCase):
    def test_a_task_somebody_is_named_for_is_reportable(self):
        self.assertTrue(is_reportable(units=1, children=0))

    def test_a_task_nobody_is_named_for_is_not(self):
        self.assertFalse(is_reportable(units=0, children=0))

    def test_a_heading_over_sub_tasks_is_not_even_with_units(self):
        self.assertFalse(is_reportable(units=2, children=2))


class HeadingsAreNotTasksTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.heading = Task.objects.get(plan=cls.plan, number="6")

    def test_task_6_heads_two_sub_tasks_and_names_nobody(self):
        self.assertEqual(self.heading.children.count(), 2)
        self.assertFalse(self.heading.unit_links.exists())

    def test_the_rule_leaves_out_the_heading_and_nothing_else(self):
        ids = set(reportable(self.plan.tasks.all()).values_list("pk", flat=True))
        self.assertNotIn(self.heading.pk, ids)
        self.assertEqual(len(ids), self.plan.tasks.count() - 1)
        self.assertEqual(plan_reportable_ids(self.plan), frozenset(ids))

    def test_a_heading_given_a_unit_is_still_not_reportable(self):
        TaskUnit.objects.create(
            task=self.heading, role="lead", position=1, department=self.drc, written_name="x"
        )
        self.assertNotIn(self.heading.pk, set(reportable(self.plan.tasks.all())))
        self.assertNotIn(self.heading.pk, plan_duties(self.plan))

    @override_settings(AS_OF_DATE="2022-05-18")
    def test_the_heading_has_no_state_owes_nothing_and_is_never_lagging(self):
        states = plan_task_states(self.plan, datetime.date(2022, 5, 15))
        self.assertNotIn(self.heading.pk, states)
        self.assertNotIn(self.heading.pk, plan_duties(self.plan))
        view = period_overview(self.plan, W19, today=datetime.date(2022, 5, 18))
        self.assertNotIn(self.heading, view.tasks)
        self.assertNotIn(self.heading, view.lagging())
        self.assertEqual(sum(view.status_counts().values()), self.plan.tasks.count() - 1)

    @override_settings(AS_OF_DATE="2022-05-18")
    def test_the_task_list_and_page_call_it_a_heading_not_a_red_light(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("tasks:list"), {"q": "6"})
        row = next(r for r in page.context["table"].rows if r.record.number == "6")
        self.assertEqual(row.get_cell_value("light"), "分项任务")
        detail = self.client.get(self.heading.get_absolute_url())
        self.assertContains(detail, "本项为分项任务的标题")
        self.assertNotContains(detail, "light-red")

    @override_settings(AS_OF_DATE="2022-05-20")
    def test_the_weekly_workbook_has_no_row_for_the_heading(self):
        snapshot = rollup.produce(self.plan, W20)
        self.assertFalse(snapshot.rows.filter(task=self.heading).exists())
        self.assertEqual(snapshot.rows.count(), self.plan.tasks.count() - 1)


@override_settings(AS_OF_DATE="2022-05-18")
class FuturePeriodTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)

    def test_week_40_is_in_the_future_on_may_18_and_week_20_is_not(self):
        self.assertTrue(reporting.is_future(self.plan, W40))
        self.assertFalse(reporting.is_future(self.plan, W20))

    def test_a_future_weeks_workbook_is_refused_with_a_chinese_message(self):
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("reports:generate"), {"plan": self.plan.pk, "period": "2022-W40"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "第40周（10月3日—10月9日）尚未开始，不能生成周报。", status_code=400
        )
        self.assertFalse(WeeklySnapshot.objects.exists())

    def test_the_roll_up_itself_refuses_a_future_week(self):
        with self.assertRaisesMessage(ValueError, "尚未开始"):
            rollup.produce(self.plan, W40, today=datetime.date(2022, 5, 18))

    def test_a_future_week_is_not_offered_for_a_workbook(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("reports:list"))
        (_plan, periods, current), *_ = page.context["choices"]
        self.assertEqual(periods[-1], current)
        self.assertNotContains(page, 'value="2022-W40"')

    def test_leaders_never_see_a_future_weeks_workbook_made_before(self):
        WeeklySnapshot.objects.create(
            plan=self.plan,
            period_key="2022-W40",
            period_label="2022年第40周",
            as_of="2022-05-18",
            generated_at="2022-05-18T10:00:00+08:00",
        )
        self.client.force_login(self.leader)
        self.assertEqual(len(self.client.get(reverse("reports:list")).context["table"].rows), 0)
        self.client.force_login(self.office)
        self.assertEqual(len(self.client.get(reverse("reports:list")).context["table"].rows), 1)

    def test_a_future_weeks_report_form_says_not_started_and_refuses_a_save(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:report", args=["2022", "7"])
        page = self.client.get(url, {"period": "2022-W40"})
        self.assertContains(page, "第40周（10月3日—10月9日）尚未开始，不能填报。")
        self.assertNotContains(page, "已关闭")
        with self.assertRaisesMessage(reporting.ReportError, "尚未开始"):
            reporting.save_report(
                task=Task.objects.get(plan=self.plan, number="7"),
                unit=self.drc,
                period=W40,
                user=self.staff,
                data=reporting.ReportData("进展", "", "", None, {}),
                expected_version=0,
                submit=False,
            )

    def test_a_future_weeks_bulletin_is_refused(self):
        self.client.force_login(self.office)
        response = self.client.get(
            reverse("reports:bulletin_preview"), {"plan": "2022", "period": "2022-W40"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "尚未开始", status_code=400)


class DashboardDeadlineTests(BaseTestCase):
    """Wednesday 18 May, week 20's reports are due Thursday 17:00; on Friday they are late."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        add_report(Task.objects.get(plan=cls.plan, number="7"), cls.drc, cls.staff)

    @override_settings(AS_OF_DATE="2022-05-18")
    def test_before_the_deadline_it_opens_on_last_week_and_this_weeks_gaps_are_pending(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"))
        self.assertEqual(page.context["period"], W19)  # last week's figures are final
        switch = [(s["word"], s["period"], s["active"]) for s in page.context["switch"]]
        self.assertEqual(switch, [("上期", W19, True), ("本期", W20, False)])
        this_week = self.client.get(reverse("home"), {"period": "2022-W20"})
        self.assertFalse(this_week.context["due_passed"])
        self.assertGreater(this_week.context["pending"], 0)
        self.assertEqual(this_week.context["overdue"], 0)
        self.assertContains(this_week, "待报")
        self.assertContains(this_week, "未到截止时间，不算逾期")
        self.assertNotContains(this_week, "逾期未报")

    @override_settings(AS_OF_DATE="2022-05-20")
    def test_after_the_deadline_it_opens_on_this_week_and_the_gaps_are_overdue(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"))
        self.assertEqual(page.context["period"], W20)
        self.assertTrue(page.context["due_passed"])
        self.assertEqual(page.context["pending"], 0)
        self.assertEqual(page.context["overdue"], page.context["counts"]["missing"])
        self.assertContains(page, f"逾期未报 {page.context['overdue']}")

    @override_settings(AS_OF_DATE="2022-05-20")
    def test_the_lagging_list_names_lead_units_and_leaders_and_reminds_per_row(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"))
        rows = {row.number: (row.lead_units, row.lead_leaders) for row in page.context["lagging"]}
        self.assertEqual(rows["2"], ("区财政局", "梅永杰"))
        self.assertContains(page, "<th>牵头单位</th><th>牵头领导</th><th>催办</th>", html=False)

    @override_settings(AS_OF_DATE="2022-05-20")
    def test_unit_rates_show_the_worst_ten_and_the_rest_behind_all(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"))
        worst, rest = page.context["units_worst"], page.context["units_rest"]
        self.assertEqual(len(worst), 10)
        self.assertLessEqual(max(u.rate for u in worst), min(u.rate for u in rest))
        self.assertContains(page, f"全部（另 {len(rest)} 个单位）")


@override_settings(AS_OF_DATE="2022-05-20")
class ReviewQueueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = Plan.objects.get(year=2022)
        cls.submitted = add_report(
            Task.objects.get(plan=plan, number="7"), cls.drc, cls.staff, state="submitted"
        )
        cls.approved = add_report(
            Task.objects.get(plan=plan, number="1"),
            cls.drc,
            cls.staff,
            state="approved",
            period="2022-W19",
        )
        cls.town_report = add_report(
            Task.objects.get(plan=plan, number="7"),
            cls.town,
            cls.town_staff,
            state="submitted",
            role="cooperating",
        )

    def queue(self, **query):
        self.client.force_login(self.office)
        page = self.client.get(reverse("tasks:review"), query)
        return {row.record.pk for row in page.context["table"].rows}, page

    def test_the_office_filters_by_unit_period_state_and_text(self):
        everything, page = self.queue()
        self.assertEqual(everything, {self.submitted.pk, self.approved.pk, self.town_report.pk})
        self.assertContains(page, '<option value="" selected>全部</option>', html=False)
        self.assertContains(page, "第19周（5月9日—5月15日）")
        self.assertEqual(self.queue(department=self.town.pk)[0], {self.town_report.pk})
        self.assertEqual(self.queue(period_key="2022-W19")[0], {self.approved.pk})
        self.assertEqual(self.queue(state="approved")[0], {self.approved.pk})
        self.assertEqual(self.queue(q="堂邑")[0], {self.town_report.pk})

    def test_batch_accept_takes_every_checked_report_once(self):
        self.client.force_login(self.office)
        ids = [self.submitted.pk, self.approved.pk]
        response = self.client.post(reverse("tasks:accept_batch"), {"reports": ids})
        self.assertRedirects(response, reverse("tasks:review"), fetch_redirect_response=False)
        states = dict(ProgressReport.objects.values_list("pk", "state"))
        self.assertEqual(states[self.submitted.pk], "accepted")
        self.assertEqual(states[self.approved.pk], "accepted")
        self.assertEqual(states[self.town_report.pk], "submitted")
        again = self.client.post(reverse("tasks:accept_batch"), {"reports": ids})
        messages = [str(m) for m in again.wsgi_request._messages]
        self.assertIn("已采纳 0 份报告，2 份未采纳（已被处理或无权处理）。", messages)
        self.assertEqual(
            ProgressReport.objects.get(pk=self.submitted.pk)
            .events.filter(action="accepted")
            .count(),
            1,
        )

    def test_a_unit_head_cannot_batch_accept(self):
        self.client.force_login(self.head)
        response = self.client.post(reverse("tasks:accept_batch"), {"reports": [self.submitted.pk]})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(ProgressReport.objects.get(pk=self.submitted.pk).state, "submitted")

    def test_a_batch_goes_back_to_the_filtered_queue(self):
        self.client.force_login(self.office)
        back = reverse("tasks:review") + "?state=submitted"
        response = self.client.post(
            reverse("tasks:accept_batch"), {"reports": [self.submitted.pk], "next": back}
        )
        self.assertRedirects(response, back, fetch_redirect_response=False)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class StatusPaletteTests(SimpleTestCase):
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()

    def background(self, selector: str) -> str:
        rule = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", self.css)[1]
        value = re.search(r"background:\s*([^;]+);", rule)[1].strip()
        if value.startswith("var("):
            name = value[4:-1]
            value = re.search(re.escape(name) + r":\s*(#[0-9a-fA-F]{6})", self.css)[1]
        return value

    def test_the_yellow_and_grey_badges_were_below_aa_and_the_check_sees_it(self):
        self.assertLess(contrast("#bf8700", "#ffffff"), 4.5)
        self.assertLess(contrast("#8c959f", "#ffffff"), 4.5)

    def test_every_status_badge_has_white_text_at_4_5_to_1_or_more(self):
        for selector in (
            ".light-green",
            ".light-yellow",
            ".light-red",
            ".light-grey",
            ".status-not_reported",
        ):
            with self.subTest(selector):
                self.assertGreaterEqual(contrast(self.background(selector), "#ffffff"), 4.5)

    def test_not_reported_and_seriously_behind_have_different_colours(self):
        self.assertNotEqual(self.background(".status-not_reported"), self.background(".light-red"))


@override_settings(AS_OF_DATE="2022-05-20")
class ListExportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_report(Task.objects.get(plan__year=2022, number="7"), cls.drc, cls.staff, percent=45)

    def workbook(self, url, query):
        import io

        from openpyxl import load_workbook

        response = self.client.get(url, {**query, "_export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    def test_the_task_list_file_has_a_dated_title_an_autofilter_and_percent_numbers(self):
        self.client.force_login(self.office)
        sheet = self.workbook(reverse("tasks:list"), {"plan": "2022", "q": "7"})
        self.assertEqual(sheet["A1"].value, "2022年任务清单　截至2022年5月20日")
        header = [c.value for c in sheet[2]]
        self.assertTrue(sheet.auto_filter.ref.startswith("A2:"))
        self.assertEqual(sheet.freeze_panes, "A3")
        done, expected = header.index("完成进度") + 1, header.index("序时进度") + 1
        row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "7")
        self.assertEqual((row[done - 1].value, row[done - 1].data_type), (45.0, "n"))
        self.assertEqual(row[done - 1].number_format, '0.0"%"')
        self.assertIsInstance(row[expected - 1].value, float)
        self.assertNotIn("完成/序时", header)

    def test_the_portfolio_file_writes_completion_and_expected_as_two_numbers(self):
        self.client.force_login(self.leader)
        sheet = self.workbook(reverse("leaders:portfolio", args=[self.zhangya.pk]), {})
        self.assertIn("截至2022年5月20日", sheet["A1"].value)
        header = [c.value for c in sheet[2]]
        done, expected = header.index("完成进度"), header.index("序时进度")
        values = [r for r in sheet.iter_rows(min_row=3, values_only=True)]
        self.assertTrue(all(isinstance(r[expected], float) for r in values))
        self.assertFalse(any(isinstance(r[done], str) and "/" in r[done] for r in values))
