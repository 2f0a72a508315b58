"""Demo closures (tasks/demo/closure.py): task 32 closed at the year's end from seed 003, the
demo's tasks accepted at 100 % closed on their acceptance day, none before the demo gets there."""

import datetime

from django.test import TestCase

from tasks.demo import generate_demo
from tasks.demo.closure import SEED_CLOSED_ON, SEED_SUMMARY
from tasks.models import ClosureApplication, Plan, Task, TaskEvent
from tasks.progress import task_states
from tasks.status import Status

from .test_demo_progress import LATER, ROOT


class DemoClosureTests(TestCase):
    fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))

    def test_the_full_year_closes_task_32_from_the_seed_and_a_mid_year_demo_closes_nothing(self):
        plan = Plan.objects.by_key("2022")
        generate_demo(plan, weeks=52, now=LATER)
        task32 = Task.objects.get(plan=plan, number="32")
        self.assertEqual(task32.closed_on, SEED_CLOSED_ON)
        application = ClosureApplication.objects.get(task=task32)
        self.assertEqual((application.state, application.summary), ("closed", SEED_SUMMARY))
        self.assertIn("1632", application.summary)
        closed = Task.objects.filter(plan=plan, closed_on__isnull=False)
        self.assertGreater(closed.count(), 1)
        for task in closed:
            kinds = set(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
            self.assertEqual(kinds, {"closure.applied", "closure.closed"}, task.number)
        states = task_states(plan, datetime.date(2022, 12, 31))
        self.assertEqual(
            {t.pk for t in closed}, {pk for pk, s in states.items() if s.status is Status.DONE}
        )

        generate_demo(plan, weeks=20, now=LATER)  # back to mid-May: no closure yet
        self.assertFalse(Task.objects.filter(plan=plan, closed_on__isnull=False).exists())
        self.assertFalse(ClosureApplication.objects.exists())
        self.assertFalse(TaskEvent.objects.filter(kind__startswith="closure.").exists())
