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
from tasks.models import Plan, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import BaseTestCase
from .synthetic import build_plan

W20 = "2022-W20"


@override_settings(AS_OF_DATE="2022-05-18")
class QueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        real = Plan.objects.get(year=2022)
        # The real plan gets the same kind of reports the synthetic one has.
        period = parse_period_key(W20)
        ProgressReport.objects.bulk_create(
            ProgressReport(
                task=t,
                department=cls.drc,
                role="lead",
                period_key=W20,
                period_start=period.start,
                period_end=period.end,
                state="submitted",
                progress="进展",
                percent=30,
                created_by=cls.staff,
                updated_by=cls.staff,
            )
            for t in Task.objects.filter(
                plan=real, unit_links__department=cls.drc, unit_links__role="lead"
            )
        )
        real.is_active = False  # the synthetic plan is the active one in its own year
        real.save()
        cls.big = build_plan(
            slug="big", year=2022, tasks=1460, reports_for=cls.drc, period_key=W20, author=cls.staff
        )
        cls.real = real

    def count(self, user, url, params=None) -> int:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def assert_fixed(self, expected: int, user, url, params_for):
        small = self.count(user, url, params_for(self.real))
        big = self.count(user, url, params_for(self.big))
        self.assertEqual((small, big), (expected, expected), url)

    # Every page: session, user with profile and leader (one join), unread notifications, and
    # the session save (savepoint, update, release) = 6.

    def test_task_list(self):
        # 6 + plan; plan selector; section, leader and unit choices (2); count; one page of
        # tasks; their leaders; their units = 16
        self.assert_fixed(16, self.office, reverse("tasks:list"), lambda p: {"plan": p.slug})

    def test_my_tasks(self):
        # 6 + plan; the unit's groups; this period's reports; duties (2); task states (3);
        # filter choices (4); count; page; leaders; units; instructions to acknowledge = 23
        self.assert_fixed(
            23, self.staff, reverse("tasks:mine"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_task_detail(self):
        self.client.force_login(self.office)
        small = self.count(self.office, self.real.tasks.get(number="1").get_absolute_url())
        big = self.count(self.office, self.big.tasks.get(number="1").get_absolute_url())
        self.assertEqual(small, big)

    def test_leader_portfolio(self):
        url = reverse("leaders:portfolio", args=[Leader.objects.get(name="张娅").pk])
        # 6 + leader; plan; task states (3); the page of tasks with leaders and units (3);
        # trend (2); plan selector = 18
        self.assert_fixed(18, self.leader, url, lambda p: {"plan": p.slug, "period": W20})

    def test_office_dashboard(self):
        # 6 + plans; tasks with leaders and units (3); task states now and last period (6);
        # duties (2); units; this and last period's reports (2); login locks; role changes = 22
        self.assert_fixed(
            22, self.office, reverse("home"), lambda p: {"plan": p.slug, "period": W20}
        )

    def test_review_queue(self):
        # session, user, person; count; page of reports (with task, plan, unit)
        small = self.count(self.office, reverse("tasks:review"))
        ProgressReport.objects.filter(task__plan=self.big).update(state="approved")
        big = self.count(self.office, reverse("tasks:review"))
        self.assertEqual(small, big)
