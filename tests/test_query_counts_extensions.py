"""The deadline extension pages run a fixed number of queries, however many applications.

Every page: user (with profile and leader), unread notifications = 2 (the session is read
from Redis: SESSION_STORE).
"""

import datetime

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import person_of
from tasks.extension_panel import extension_panel
from tasks.models import ExtensionApplication, Task, TaskNode

from .base import BaseTestCase

D = datetime.date


def applications(tasks, unit, user, state):
    return ExtensionApplication.objects.bulk_create(
        ExtensionApplication(
            task=task,
            unit=unit,
            applicant=user,
            applied_at=timezone.now(),
            reason="资金未到位",
            original_date=D(2022, 12, 31),
            requested_date=D(2023, 3, 31),
            year_note="跨年项目",
            state=state,
        )
        for task in tasks
    )


@override_settings(AS_OF_DATE="2022-05-18")
class ExtensionQueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = applications([cls.task["1"]], cls.drc, cls.staff, "pending_unit")[0]
        TaskNode.objects.create(
            task=cls.task["1"], due=D(2022, 6, 30), description="开工", expected_percent=30
        )

    def count(self, user, url, params=None) -> int:
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def grow(self):
        """40 more applications on 40 other tasks: 20 approved, 20 refused, with events."""
        others = list(Task.objects.filter(plan=self.task["1"].plan).exclude(pk=self.task["1"].pk))
        applications(others[:20], self.drc, self.staff, "approved")
        applications(others[20:40], self.drc, self.staff, "refused")
        applications([self.task["1"]] * 5, self.drc, self.staff, "approved")

    def test_the_list_runs_seven_queries_with_one_application_or_forty_six(self):
        # 1 (the user with profile, leader and unread notifications); approved extensions per task shown (1); the page's count (1); per-unit counts (1);
        # the plan and unit choices of the filters (2); the page of applications with their
        # task, plan, unit and node (1) = 7
        url = reverse("tasks:extensions")
        small = self.count(self.office, url)
        self.grow()
        big = self.count(self.office, url)
        filtered = self.count(self.office, url, {"state": "pending", "q": "资金"})
        self.assertEqual((small, big, filtered), (7, 7, 7))

    def test_an_application_page_runs_three_queries(self):
        # 1; the application with its task, plan, node, unit and applicant (1); its trail (1)
        # = 3; a head's menu adds its kept 待审核 count (tasks.context_processors): the data
        # revision, and the count itself the first time after a change (5), then only the
        # revision (4).
        url = reverse("tasks:extension", args=[self.first.pk])
        self.assertEqual(self.count(self.office, url), 3)
        self.assertEqual(self.count(self.head, url), 5)
        self.assertEqual(self.count(self.head, url), 4)
        self.grow()
        self.assertEqual(self.count(self.office, url), 3)

    def test_the_apply_form_runs_five_queries(self):
        # 1; plan; task; the unit's part in the task (1); the task's nodes (1) = 5
        url = reverse("tasks:extension_apply", args=["2022", "1"])
        self.assertEqual(self.count(self.staff, url), 5)

    def test_the_task_pages_panel_costs_one_to_three_queries_whatever_the_applications(self):
        task = Task.objects.select_related("plan").get(pk=self.task["1"].pk)
        for user in (self.office, self.head, self.staff, self.leader):
            person_of(user)  # the request has it already
        # The office: the task's applications (1).
        with self.assertNumQueries(1):
            extension_panel(self.office, task)
        # The head, with an application at its step: applications (a pending one: nobody
        # may apply, so the unit's part is not asked).
        with self.assertNumQueries(1):
            self.assertTrue(extension_panel(self.head, task)["may_decide"])
        ExtensionApplication.objects.filter(pk=self.first.pk).update(state="pending_leader")
        # The leader, at the leader's step: applications; whether he or she leads the task.
        with self.assertNumQueries(2):
            self.assertTrue(extension_panel(self.leader, task)["may_decide"])
        ExtensionApplication.objects.filter(pk=self.first.pk).update(state="refused")
        self.grow()
        # Staff of a lead unit that may apply: applications; its part; the task's nodes (3).
        with self.assertNumQueries(3):
            panel = extension_panel(self.staff, task)
        self.assertTrue(panel["can_apply"])
        self.assertEqual(panel["approved_count"], 5)
