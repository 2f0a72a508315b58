"""The demo's extensions: one approved (task 21 into 2023) and one refused (task 7), each with
its steps in the audit trail; writing them again changes nothing."""

import datetime
import io

from django.core.management import call_command

from tasks.audit import trail_of
from tasks.demo.extensions import add_demo_extensions
from tasks.models import ExtensionApplication, Plan, Task

from .base import BaseTestCase


class DemoExtensionTests(BaseTestCase):
    def test_one_approved_and_one_refused_extension_with_their_trails(self):
        call_command("create_demo_accounts", stdout=io.StringIO())
        plan = Plan.objects.get(year=2022)
        self.assertEqual(add_demo_extensions(plan), 2)
        self.assertEqual(add_demo_extensions(plan), 0)
        approved = ExtensionApplication.objects.get(state="approved")
        refused = ExtensionApplication.objects.get(state="refused")
        self.assertEqual((approved.task.number, refused.task.number), ("21", "7"))
        solar = Task.objects.get(pk=approved.task_id)
        self.assertEqual(solar.extended_deadline, datetime.date(2023, 6, 30))
        self.assertIsNone(solar.deadline)  # the original (the year's end) is kept
        self.assertIsNone(Task.objects.get(pk=refused.task_id).extended_deadline)
        self.assertEqual(
            [e.kind for e in trail_of(approved)],
            ["extension.applied", *["extension.approved"] * 3],
        )
        self.assertEqual(trail_of(refused)[-1].reason, refused.office_note)
        self.assertEqual(trail_of(refused)[-1].at, refused.office_at)

    def test_without_the_demo_accounts_nothing_is_written(self):
        self.assertEqual(add_demo_extensions(Plan.objects.get(year=2022)), 0)
        self.assertFalse(ExtensionApplication.objects.exists())
