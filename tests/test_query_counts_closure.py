"""Fixed query counts of the closure pages (办结申请 / 销号): the same with one application as
with twelve, each with its evidence files."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import person_of
from tasks.closure_panel import panel
from tasks.models import ClosureApplication, ClosureEvidence, Task, TaskUnit

from .base import BaseTestCase


@override_settings(AS_OF_DATE="2022-05-18")
class ClosureQueryCountTests(BaseTestCase):
    def add(self, tasks, *, state="office", files=2):
        for task in tasks:
            application = ClosureApplication.objects.create(
                task=task,
                department=self.drc,
                applicant=self.staff,
                summary="已完成",
                state=state,
                applied_at=timezone.now(),
            )
            for n in range(files):
                evidence = ClosureEvidence(
                    application=application,
                    original_name=f"{n}.pdf",
                    size=8,
                    content_type="application/pdf",
                    uploaded_by=self.staff,
                )
                evidence.file.save(f"{n}.pdf", ContentFile(b"%PDF-1.4"), save=True)

    def led(self):
        ids = TaskUnit.objects.filter(department=self.drc, role="lead").values("task_id")
        return list(Task.objects.filter(pk__in=ids).order_by("sort_order"))

    def count_list(self, user) -> int:
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("tasks:closure_list"), {"plan": "2022"})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_pending_list_costs_the_same_for_one_application_as_for_twelve(self):
        led = self.led()
        self.add(led[:1])
        one = self.count_list(self.office)
        self.add(led[1:12])
        # 1 (user with profile, leader and unread notifications; the session is read from
        # Redis); plan; the pending
        # applications with their task, plan, unit and applicant (one join) = 3
        self.assertEqual((one, self.count_list(self.office)), (3, 3))
        self.assertContains(self.client.get(reverse("tasks:closure_list")), "待办结审核（12）")

    def count_panel(self, user, task) -> int:
        task = Task.objects.select_related("plan").get(pk=task.pk)
        person_of(user)  # read once per request by then (the page's first queries)
        with CaptureQueriesContext(connection) as queries:
            context = panel(user, task)
        self.assertIsNotNone(context)
        return len(queries)

    def test_the_task_pages_closure_block_costs_two_queries_and_one_more_for_a_unit(self):
        task = self.task["15"]
        # No application: the applications (1); a unit account: does its unit lead it (1).
        self.assertEqual(self.count_panel(self.office, task), 1)
        self.assertEqual(self.count_panel(self.staff, task), 2)
        self.add([task] * 10, state="returned", files=3)
        # With applications: their evidence files too (1), whatever their number.
        self.assertEqual(self.count_panel(self.office, task), 2)
        self.assertEqual(self.count_panel(self.staff, task), 3)
