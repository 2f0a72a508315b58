"""Every page runs a fixed number of queries: the same at the 2022 size and at 10× that.

Each page is rendered for the 2022 plan (146 tasks) and for a synthetic plan of 1,460 tasks
with the same shape; the counts must be equal and equal to the number written here, so a
query added inside a loop (an N+1) fails at once.
"""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaders.models import Leader
from tasks import revision
from tasks.models import Plan, ProgressReport, Task

from .base import BaseTestCase
from .synthetic import real_and_big

W20 = "2022-W20"


@override_settings(AS_OF_DATE="2022-05-18")
class QueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.real, cls.big = real_and_big(cls.drc, cls.staff)

    def count(self, user, url, params=None) -> int:
        """Queries of the page with nothing kept yet (tasks.revision; the page as the first
        request after a change, the worst case; kept: tests/test_query_counts_figures.py)."""
        self.login_renewed(user)
        revision.forget()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def assert_fixed(self, expected: int, user, url, params_for):
        small = self.count(user, url, params_for(self.real))
        big = self.count(user, url, params_for(self.big))
        self.assertEqual((small, big), (expected, expected), url)

    # Every page: the user with profile, leader and unread notification count (one query,
    # accounts.backends; it was two before the count came in the user's row) = 1 (the
    # session is read from Redis: SESSION_STORE, config/settings.py; written through to the
    # database when it changes); pages with lights or counts read the data revision once
    # (tasks.revision): "+ revision".
    # (The session's expiry is renewed at most once a minute, not on these requests:
    # test_a_session_renewal_costs_three_queries_once_a_minute.)

    def test_a_session_renewal_costs_three_queries_once_a_minute(self):
        warm = self.client_class()  # the figures kept first, by another session
        warm.force_login(self.staff)
        warm.get(reverse("tasks:mine"), {"plan": self.real.slug, "period": W20})
        self.client.force_login(self.staff)  # a new session: the first request renews it
        counted = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                self.client.get(reverse("tasks:mine"), {"plan": self.real.slug, "period": W20})
            counted.append([q["sql"] for q in queries])
        first, second = counted
        # savepoint, update of the session's data and expiry, release
        self.assertEqual(len(first) - len(second), 3)
        self.assertEqual(sum('UPDATE "django_session"' in q for q in first), 1)
        self.assertFalse(any("django_session" in q and "UPDATE" in q for q in second))

    def test_task_list(self):
        # 1 + revision; plan; task states (4, with the node plans); plan selector; the list's
        # figures (tasks.plan_rows: tasks, their leaders, their units; section, leader and unit
        # choices: 6); the ids shown, in order (count and page) = 15
        self.assert_fixed(15, self.office, reverse("tasks:list"), lambda p: {"plan": p.slug})

    def test_task_list_sorted_and_filtered_on_the_states(self):
        # The same 15: sorting on 状态, 完成/序时 or 最近报送 orders by a CASE over the states
        # already computed, and the status filter narrows by their ids; no query is added.
        url = reverse("tasks:list")
        for extra in (
            {"sort": "light"},
            {"sort": "-completion"},
            {"sort": "latest"},
            {"status": "not_reported"},
        ):
            with self.subTest(**extra):
                self.assert_fixed(15, self.office, url, lambda p, e=extra: {"plan": p.slug, **e})

    def test_my_tasks(self):
        # 1 + revision; plan; the reports of this period and the open ones; the plan's task
        # rows (tasks.unit_figures: tasks, their units, the groups' members, filter choices
        # (4), plan selector); its lights (task states: 4, with the node plans); duties (2);
        # the tasks the person reads; instructions to acknowledge; 需协调事项 naming or raised
        # by the unit = 21
        self.assert_fixed(
            21, self.staff, reverse("tasks:mine"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_task_detail(self):
        self.client.force_login(self.office)
        small = self.count(self.office, self.real.tasks.get(number="1").get_absolute_url())
        big = self.count(self.office, self.big.tasks.get(number="1").get_absolute_url())
        self.assertEqual(small, big)

    def test_leader_portfolio(self):
        url = reverse("leaders:portfolio", args=[Leader.objects.get(name="张娅").pk])
        # 1 (the leader's own portfolio: the leader comes with the user); revision; the
        # leader's plans (the selector); the plan the address names; the leader's instructions
        # with new 落实情况 (1); the leader's tasks with leaders and units (3); task states (4,
        # with the node plans); trend (the plan's tasks, their reports, their node plans: 3);
        # the open 需协调事项 the leader must act on = 16
        self.assert_fixed(16, self.leader, url, lambda p: {"plan": p.slug, "period": W20})

    def test_office_dashboard(self):
        # 1 + revision; the plans (the picker's); the plan; the live reads (drafts and returned
        # reports, open 需协调事项, login locks, role changes: one statement,
        # reports.dashboard_queries.live); tasks (their units are not shown); task states now and last period (8, with the node
        # plans; headings left out inside those queries); duties (2); units; this and last
        # period's reports (2); the lagging tasks' leaders; the period's counted reports, the
        # earlier reports they are compared with and their values, their tasks' node plans
        # (tasks.stale: 4) = 23 (from the plans to the stale reports: kept figures next time,
        # reports.dashboard_queries.plans, tasks.lookups, reports.dashboard_figures)
        self.assert_fixed(
            23, self.office, reverse("home"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_review_queue(self):
        # 1; the periods in the queue; unit choices; page of reports (with task, plan, unit)
        # and their count (one query: common.tables.CountedPageData); revision; the page's
        # earlier reports, their values and their tasks' node plans for 与上期比较 (tasks.stale:
        # 3, kept) = 8, filtered or not, at 1x and 10x the reports
        for query in ({}, {"state": "submitted", "period_key": W20, "q": "区"}):
            with self.subTest(**query):
                ProgressReport.objects.filter(task__plan=self.big).update(state="draft")
                small = self.count(self.office, reverse("tasks:review"), query)
                ProgressReport.objects.filter(task__plan=self.big).update(state="submitted")
                big = self.count(self.office, reverse("tasks:review"), query)
                self.assertEqual((small, big), (8, 8))

    def test_head_review_queue(self):
        # 1 + the menu's 待审核 count; one page of reports (with task, plan, unit) and their
        # count (one query); revision; the earlier reports, their values and their tasks' node
        # plans for 与上期比较 (3, kept) = 7, whether the unit has a handful of submissions or
        # ten times more
        ProgressReport.objects.filter(task__plan=self.big).update(state="draft")
        small = self.count(self.head, reverse("tasks:review"))
        ProgressReport.objects.filter(task__plan=self.big).update(state="submitted")
        big = self.count(self.head, reverse("tasks:review"))
        self.assertEqual((small, big), (7, 7))


@override_settings(AS_OF_DATE="2022-05-18")
class ListPageQueryCountTests(BaseTestCase):
    """The other lists: their query count does not grow with the rows they show."""

    def count(self, user, url) -> int:
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def grow(self, n: int):
        """n more of everything these pages list."""
        import datetime

        from django.contrib.auth import get_user_model

        from departments.models import Department
        from leaders.models import Instruction
        from notifications.models import Notification, Reminder
        from reports.models import WeeklySnapshot

        plan = Plan.objects.get(year=2022)
        tasks = list(Task.objects.filter(plan=plan).order_by("sort_order"))
        units = list(Department.objects.order_by("pk"))
        start = len(Notification.objects.all())
        now = datetime.datetime(2022, 5, 18, 10, tzinfo=datetime.UTC)
        for i in range(start, start + n):
            Notification.objects.create(user=self.office, kind="other", title=f"通知{i}")
            Reminder.objects.create(
                plan=plan,
                period_key=f"2022-W{i % 52 + 1:02d}",
                department=units[i % len(units)],
                kind="manual",
                sent_at=now,
                sent_by=self.office,
            )
            Instruction.objects.create(
                task=tasks[i % len(tasks)],
                leader=self.zhangya,
                text=f"批示{i}",
                state="published",
                published_at=now,
            )
            WeeklySnapshot.objects.create(
                plan=plan,
                period_key=f"X{i}",
                period_label=f"第{i}期",
                as_of="2022-05-15",
                generated_at=now,
            )
            get_user_model().objects.create_user(f"extra{i}", password="x-secret-9")
            ProgressReport.objects.create(
                task=tasks[i % len(tasks)],
                department=units[i % len(units)],
                role="lead",
                period_key=f"2022-W{i % 52 + 1:02d}-{i}"[:10],
                period_start="2022-05-16",
                period_end="2022-05-22",
                state="submitted",
                progress="进展",
                created_by=self.staff,
                updated_by=self.staff,
            )

    def test_list_pages_keep_their_query_count_as_rows_grow(self):
        from django.urls import reverse as url

        pages = [
            (self.office, url("tasks:review")),
            (self.office, url("notify:list")),
            (self.office, url("notify:reminders")),
            (self.office, url("leaders:instructions_pending")),
            (self.office, url("reports:list")),
            (self.office, url("accounts:list")),
        ]
        self.grow(3)
        small = [self.count(user, page) for user, page in pages]
        self.grow(30)
        big = [self.count(user, page) for user, page in pages]
        self.assertEqual(small, big)
