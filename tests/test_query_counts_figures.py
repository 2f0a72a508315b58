"""The pages that show lights and counts read the kept figures (tasks.revision) with a fixed,
small number of queries: the same at the 2022 size (146 tasks) and at 10× (1,460 tasks).

Each page is requested once (which keeps its figures, as the hot figures are kept after every
change: tasks.figures), then counted on the next request: the path every page takes between
two changes. This is an ordinary TestCase, inside a transaction, on the same kept path as
production (tests/test_query_counts.py counts the same pages with nothing kept).
"""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaders.models import Leader
from tasks.models import ProgressReport

from .base import BaseTestCase
from .synthetic import real_and_big

W20 = "2022-W20"


@override_settings(AS_OF_DATE="2022-05-18")
class KeptFiguresQueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.real, cls.big = real_and_big(cls.drc, cls.staff)

    def kept(self, user, url, params) -> tuple[list[str], int]:
        """The queries of the second request (the first kept the figures) and of the first."""
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as first:
            self.assertEqual(self.client.get(url, params).status_code, 200)
        with CaptureQueriesContext(connection) as second:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return [q["sql"] for q in second], len(first)

    def assert_fixed(self, expected: int, user, url, params_for):
        small, small_cold = self.kept(user, url, params_for(self.real))
        big, big_cold = self.kept(user, url, params_for(self.big))
        self.assertEqual((len(small), len(big)), (expected, expected), "\n".join(big))
        # Kept, not computed again: fewer than the first request, and no report is read to
        # compute a light.
        self.assertLess(len(small), small_cold)
        self.assertLess(len(big), big_cold)
        self.assertEqual(sum('FROM "tasks_datarevision"' in q for q in big), 1)
        return big

    def test_my_tasks_reads_kept_duties_and_states(self):
        # 1 (user with profile, leader and unread notifications; the session is read from
        # Redis) + revision; the unit's reports of this period and the open ones (drafts move
        # no figure) = 3 (the plan, the unit's rows, filter choices, plan selector, the
        # instructions to acknowledge and the 需协调事项 are kept: tasks.unit_figures,
        # leaders.unit_panels)
        self.assert_fixed(
            3, self.staff, reverse("tasks:mine"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_the_office_dashboard_reads_kept_states_and_duties(self):
        # 1 + revision; the live reads in one statement (reports.dashboard_queries.live: the
        # period's drafts and returned reports, which move no kept figure; open and overdue
        # 需协调事项; login locks; role changes) = 3 (kept: the plans and the plan,
        # reports.dashboard_queries.plans and tasks.lookups; the period's figures with the
        # stale reports, reports.dashboard_figures)
        self.assert_fixed(
            3, self.office, reverse("home"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_the_leader_portfolio_reads_kept_states_and_trend(self):
        url = reverse("leaders:portfolio", args=[Leader.objects.get(name="张娅").pk])
        # 1 (the leader's own portfolio: the leader comes with the user); revision; the plan
        # the address names; the leader's instructions with new 落实情况; the open 需协调事项
        # the leader must act on = 5 (kept: the leader's plans and the portfolio's rows and
        # charts, leaders.portfolio; at 10x its 1,460 tasks are paged over the kept rows)
        self.assert_fixed(5, self.leader, url, lambda p: {"plan": p.slug, "period": W20})

    def test_the_portfolio_without_a_plan_in_the_address_reads_no_plan(self):
        url = reverse("leaders:portfolio", args=[Leader.objects.get(name="张娅").pk])
        # The leader's kept plans give both the plan (the active one: here the 1,460 tasks)
        # and the selector. The leader: 1; revision; instructions with new 落实情况; the open
        # 需协调事项 = 4; the office: the same + the leader = 5 (the figures the leader's
        # first request kept).
        for user, expected in ((self.leader, 4), (self.office, 5)):
            queries, _ = self.kept(user, url, {})
            self.assertEqual(len(queries), expected, "\n".join(queries))

    def test_the_task_list_reads_kept_states(self):
        # 1 + revision; the ids shown, in order (count and page) = 3 (the plan and the plan
        # selector are kept: tasks.lookups, tasks.unit_figures; the states, the rows and the
        # filter choices: tasks.plan_rows)
        self.assert_fixed(3, self.office, reverse("tasks:list"), lambda p: {"plan": p.slug})

    def test_a_report_changed_in_the_test_transaction_shows_at_once_on_the_kept_path(self):
        self.login_renewed(self.office)
        url = reverse("tasks:list")
        params = {"plan": self.real.slug, "sort": "-completion"}
        self.client.get(url, params)  # states kept
        report = ProgressReport.objects.filter(
            task__plan=self.real, period_key=W20, task__indicators__isnull=True
        ).first()
        with CaptureQueriesContext(connection) as kept:
            before = self.client.get(url, params).content.decode()
        report.percent = 99
        report.save()  # a counted report: tasks.receivers moves the revision (privately here)
        with CaptureQueriesContext(connection) as fresh:
            after = self.client.get(url, params).content.decode()
        self.assertGreater(len(fresh), len(kept))  # computed again, once
        self.assertNotIn("99.0% /", before)  # 完成/序时, sorted on it: first on the page
        self.assertIn("99.0% /", after)
