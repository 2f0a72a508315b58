"""The office dashboard's kept figures (reports.dashboard_figures) are never older than the data.

Each figure the page shows — the period's report counts (due, in, late, missing) and 报送率,
the 报送率 of each unit, the status by section, the lagging list, the changes since last
period, the stale reports — is kept once, then a change of the kind that moves it is made:
the figure read next is the one computed afresh, and it moved. These are ordinary TestCases,
on the same kept path as production (tasks.revision); the last test commits for real, as a
web request does, and finds the figures warmed for every worker (reports.receivers).
"""

import datetime

from axes.models import AccessAttempt
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.models import Profile, RoleChange
from departments.models import Department
from leaders.models import CoordinationItem
from reports import dashboard_queries
from reports.dashboard_figures import compute, dashboard_figures, summary_counts
from tasks import reporting, revision
from tasks.models import Plan, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import PASSWORD, BaseTestCase, make_user
from .coordination_objects import item
from .test_revision import RevisionTestCase
from .test_weekly_report import add_report

W19, W20 = parse_period_key("2022-W19"), parse_period_key("2022-W20")
TODAY = datetime.date(2022, 5, 20)  # week 20's reports are due: the figures are final
COPIED = "完成项目用地报批，开工建设厂房两栋，累计完成投资3亿元。"


@override_settings(AS_OF_DATE="2022-05-20")
class DashboardFiguresMoveTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.seven = Task.objects.get(plan=cls.plan, number="7")
        cls.one = cls.task["1"]
        add_report(cls.seven, cls.drc, cls.staff, period="2022-W19", percent=30, progress=COPIED)

    def setUp(self):
        revision.forget()

    def kept(self):
        return dashboard_figures(self.plan, W20, TODAY)

    def assert_moves(self, change, read):
        """Keep the figures, make the change, read them again: fresh, and `read` moved."""
        before = self.kept()
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.kept(), before)
        self.assertEqual(len(queries), 1)  # the revision: kept, not computed again
        change()
        after = self.kept()
        self.assertEqual(after, compute(self.plan, W20, TODAY))
        self.assertNotEqual(read(after), read(before))
        return read(before), read(after)

    def summary(self):
        now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))
        return summary_counts(
            self.plan, W20, TODAY, dashboard_queries.live(self.plan, W20, TODAY, now).owed
        )

    def unit(self, figures, name="区发展和改革局"):
        return next(u for u in figures.units if u.name == name)

    def test_a_report_moves_the_counts_the_rate_and_the_units_rate(self):
        counts = self.assert_moves(
            lambda: add_report(self.seven, self.drc, self.staff, state="submitted"),
            lambda f: (f.report_counts["missing"], f.report_counts["submitted"], f.received),
        )
        (missing, submitted, received), after = counts
        self.assertEqual(after, (missing - 1, submitted + 1, received + 1))
        self.assert_moves(
            lambda: add_report(self.one, self.drc, self.staff, late=True),
            lambda f: (f.rate, f.report_counts["late"], self.unit(f).late, self.unit(f).rate),
        )

    def test_a_status_change_moves_the_sections_the_lagging_list_and_the_changes(self):
        before, after = self.assert_moves(
            lambda: add_report(self.one, self.drc, self.staff, percent=5, problems="土地指标不足"),
            lambda f: (
                f.sections,
                [(r.number, r.label) for r in f.lagging],
                [(c.number, c.after, c.new_problems) for c in f.changes],
            ),
        )
        self.assertIn(("1", "严重滞后", "土地指标不足"), after[2])
        self.assertNotIn(("1", "严重滞后", "土地指标不足"), before[2])
        self.assertEqual(after[1][0], ("1", "严重滞后"))  # the worst comes first

    def test_a_copied_report_moves_the_stale_reports(self):
        _, after = self.assert_moves(
            lambda: add_report(self.seven, self.drc, self.staff, percent=31, progress=COPIED),
            lambda f: (f.stale_total, [(r.number, r.unit) for r in f.stale]),
        )
        self.assertEqual(after, (1, [("7", "区发展和改革局")]))

    def test_a_draft_or_a_returned_report_shows_in_the_counts_at_once(self):
        """They move no kept figure (tasks.receivers): the page counts them per request."""
        kept, counts = self.summary()
        self.assertEqual((counts["draft"], counts["returned"]), (0, 0))
        before = revision.current()
        add_report(self.seven, self.drc, self.staff, state="draft")
        add_report(self.one, self.drc, self.staff, state="returned")
        self.assertEqual(revision.current(), before)  # nothing kept moved
        figures, counts = self.summary()
        self.assertEqual(figures, kept)
        self.assertEqual((counts["draft"], counts["returned"]), (1, 1))
        revision.forget()  # computed afresh, the same counts from period_overview
        fresh, counts = self.summary()
        self.assertEqual((counts["draft"], counts["returned"]), (1, 1))
        self.assertEqual(fresh.report_counts["missing"], kept.report_counts["missing"])

    def test_a_renamed_unit_moves_the_names(self):
        def rename():
            unit = Department.objects.get(pk=self.drc.pk)
            unit.name = "区发展改革局"
            unit.save()

        self.assert_moves(rename, lambda f: sorted(u.name for u in f.units))
        self.assertTrue(any("区发展改革局" in r.lead_units for r in self.kept().lagging))


@override_settings(AS_OF_DATE="2022-05-18")
class DashboardFiguresWarmTests(RevisionTestCase):
    def test_after_a_submission_the_dashboard_figures_are_kept_already(self):
        drc = Department.objects.get(name="区发展和改革局")
        make_user("staff", unit=drc, reporter=True)
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)
        response = self.client.post(
            reverse("tasks:report", args=["2022", "7"]) + "?period=2022-W20",
            {
                "progress": "项目完成土地征收。",
                "problems": "",
                "next_steps": "继续推进。",
                "percent": "35",
                "version": 0,
                "action": "submit",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ProgressReport.objects.filter(state="submitted").exists())
        today = datetime.date(2022, 5, 18)
        current = reporting.current_period(self.plan, today)
        for period in (current, current.previous()):  # the dashboard opens on either
            with CaptureQueriesContext(connection) as queries:
                figures = dashboard_figures(self.plan, period, today)
            self.assertEqual(len(queries), 1, period)  # the revision: nothing computed
            self.assertEqual(figures, compute(self.plan, period, today))
        self.assertEqual(figures.report_counts["submitted"], 0)  # last week's
        self.assertEqual(dashboard_figures(self.plan, current, today).report_counts["submitted"], 1)


NOW = timezone.make_aware(datetime.datetime(2022, 5, 18, 12))


def live(plan=None, today=datetime.date(2022, 5, 18), now=NOW, period=W20):
    return dashboard_queries.live(plan or Plan.objects.get(year=2022), period, today, now)


class DashboardQueriesTests(BaseTestCase):
    """The dashboard's live reads in hand-written SQL (reports.dashboard_queries) read what
    the ORM reads."""

    def test_the_plans_come_in_the_dashboards_order_and_a_new_one_shows_at_once(self):
        Plan.objects.create(slug="2021", year=2021, title="旧方案", is_active=False)
        self.assertEqual(len(dashboard_queries.plans()), Plan.objects.count())  # kept now
        Plan.objects.create(slug="2023", year=2023, title="新方案")
        orm = Plan.objects.order_by("-is_active", "-year", "slug")
        self.assertEqual(dashboard_queries.plans(), list(orm.values("pk", "slug", "year", "title")))
        self.assertEqual(dashboard_queries.plans()[0]["slug"], "2023")

    def test_the_last_role_changes_name_who_what_and_when(self):
        for _ in range(7):
            profile = Profile.objects.get(user=self.town_staff)
            profile.is_unit_head = not profile.is_unit_head
            profile.save(changed_by=self.office)
        ours = live().role_changes
        orm = RoleChange.objects.select_related("user")[:5]
        self.assertEqual(
            ours,
            [
                f"{c.user.get_full_name() or c.user.username} {c.what} {c.old_value or '—'}→"
                f"{c.new_value or '—'}（{timezone.localtime(c.changed_at):%m-%d %H:%M}）"
                for c in orm
            ],
        )
        self.assertIn("town 单位负责人 否→是", ours[0] + ours[1])

    def test_the_open_coordination_items_are_counted_with_the_overdue_ones(self):
        plan = Plan.objects.get(year=2022)
        item(self, self.task["1"], self.drc, due=datetime.date(2022, 5, 10))
        item(self, self.task["15"], self.drc, due=datetime.date(2022, 5, 31))
        item(self, self.task["15"], self.drc, state=CoordinationItem.State.RESOLVED)
        self.assertEqual(live(plan).coordination, {"open": 2, "overdue": 1})
        self.assertEqual(
            live(plan, datetime.date(2022, 6, 1)).coordination, {"open": 2, "overdue": 2}
        )
        other = Plan.objects.create(slug="2023", year=2023, title="新方案")
        self.assertEqual(live(other).coordination, {"open": 0, "overdue": 0})

    def test_the_drafts_and_returned_reports_of_the_period_and_plan(self):
        add_report(self.task["1"], self.drc, self.staff, state="draft")
        add_report(self.task["125"], self.drc, self.staff, state="returned")
        add_report(self.task["15"], self.drc, self.staff, state="submitted")
        add_report(self.task["1"], self.drc, self.staff, state="draft", period="2022-W19")
        orm = ProgressReport.objects.filter(
            task__plan__year=2022, period_key="2022-W20", state__in=["draft", "returned"]
        ).values_list("task_id", "department_id", "state")
        self.assertCountEqual(live().owed, list(orm))
        self.assertEqual(len(live().owed), 2)

    def test_the_locks_are_those_of_the_unlock_page(self):
        def failures(n, username, ip, minutes_ago):
            AccessAttempt.objects.create(
                username=username,
                ip_address=ip,
                user_agent=f"{username} {ip}",
                failures_since_start=n,
                get_data="",
                post_data="",
                http_accept="",
                path_info="/login/",
            )
            at = NOW - datetime.timedelta(minutes=minutes_ago)
            AccessAttempt.objects.filter(username=username, ip_address=ip).update(attempt_time=at)

        failures(5, "staff", "10.0.0.1", 1)  # a pair
        failures(12, "town", "198.51.100.1", 2)  # a pair, and the username
        failures(9, "head", "203.0.113.8", 3)  # a pair
        failures(9, "gone", "203.0.113.9", 60 * 24)  # no longer counts
        ours = live().locks
        self.assertEqual(ours, throttle.current_locks(NOW))
        self.assertEqual(
            [(lock["kind"], lock["username"]) for lock in ours],
            [("pair", "head"), ("pair", "staff"), ("pair", "town"), ("username", "town")],
        )
