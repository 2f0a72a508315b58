"""The audit trail of a task's life (tasks.audit): written with the change, shown on the task page."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.test import override_settings

from tasks import audit
from tasks.models import TaskEvent

from .base import BaseTestCase


@override_settings(AS_OF_DATE="2022-05-18")
class AuditTrailTests(BaseTestCase):
    def test_a_step_records_who_what_and_why_with_plain_values(self):
        task = self.task["15"]
        event = audit.record(
            task,
            "extension.applied",
            actor=self.staff,
            summary="申请延期",
            changes={"完成时限": (datetime.date(2022, 6, 30), datetime.date(2022, 9, 30))},
            reason="资金未到位",
        )
        event.refresh_from_db()
        self.assertEqual(event.actor, self.staff)
        self.assertEqual(event.changes, {"完成时限": ["2022-06-30", "2022-09-30"]})
        self.assertEqual(event.reason, "资金未到位")

    def test_a_step_of_the_system_has_no_actor_and_decimals_read_as_text(self):
        event = audit.record(
            self.task["15"],
            "nodes.changed",
            actor=None,
            summary="导入节点",
            changes={"预期进度": (None, Decimal("30.0"))},
        )
        self.assertIsNone(event.actor)
        self.assertEqual(event.changes, {"预期进度": [None, "30"]})

    def test_a_rolled_back_change_leaves_no_step(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            audit.record(self.task["15"], "closure.applied", actor=self.staff, summary="申请办结")
            raise RuntimeError
        self.assertFalse(TaskEvent.objects.exists())

    def test_steps_about_one_object_are_read_oldest_first(self):
        task = self.task["15"]
        first = audit.record(task, "a.one", actor=self.staff, summary="一", obj=self.staff)
        audit.record(task, "a.other", actor=self.staff, summary="其他")
        second = audit.record(task, "a.two", actor=self.office, summary="二", obj=self.staff)
        self.assertEqual(audit.trail_of(self.staff), [first, second])
        self.assertEqual([e.summary for e in audit.trail(task)], ["二", "其他", "一"])

    def test_the_task_page_shows_the_trail_to_whoever_may_read_the_task(self):
        task = self.task["15"]
        audit.record(
            task,
            "extension.applied",
            actor=self.staff,
            summary="申请延期至2022-09-30",
            reason="资金未到位",
        )
        self.client.force_login(self.office)
        page = self.client.get(task.get_absolute_url())
        self.assertContains(page, "办理记录")
        self.assertContains(page, "申请延期至2022-09-30")
        self.assertContains(page, "理由：资金未到位")
