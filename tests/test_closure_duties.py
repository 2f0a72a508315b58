"""A closed task (已办结) leaves everything: every to-do, every count of 应报, the reminders;
the rule (tasks.status) makes it DONE from its closure day on and nothing else does."""

import datetime

from django.test import override_settings
from django.urls import reverse

from notifications.reminders import units_missing_reports
from reports.overview import period_overview
from tasks import revision, todo
from tasks.duties import owes_in, plan_duties
from tasks.models import Task
from tasks.periods import parse_period_key
from tasks.progress import status_history, task_states
from tasks.status import Status

from .base import BaseTestCase
from .test_weekly_report import add_report

W19, W20, W21 = (parse_period_key(k) for k in ("2022-W19", "2022-W20", "2022-W21"))
MAY_18 = datetime.date(2022, 5, 18)  # a Wednesday of week 20


def test_a_closed_task_owes_only_the_periods_that_ended_before_its_closure_day():
    assert owes_in(None, W20) and owes_in(None, None)
    assert owes_in(MAY_18, W19)  # ended on May 15
    assert not owes_in(MAY_18, W20)  # the week it was closed in
    assert not owes_in(MAY_18, W21)
    assert not owes_in(MAY_18, None)  # now


def test_the_to_do_leaves_out_closed_tasks_whatever_their_reports():
    class Draft:
        state = todo.DRAFT

    due = {W20.key: datetime.datetime(2022, 5, 20, 17, tzinfo=datetime.UTC)}
    now = datetime.datetime(2022, 5, 19, tzinfo=datetime.UTC)
    kwargs = {"periods": [W20], "due": due, "now": now, "reports": {(W20.key, 2): Draft()}}
    assert {i.task_id for i in todo.todo_items(owed={1, 3}, **kwargs)} == {1, 2, 3}
    items = todo.todo_items(owed={1, 3}, closed={1, 2}, **kwargs)
    assert [(i.task_id, i.kind) for i in items] == [(3, todo.NOT_STARTED)]


@override_settings(AS_OF_DATE="2022-05-18")
class ClosedTaskLeavesEverythingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.t15 = cls.task["15"]
        cls.plan = cls.t15.plan

    def close(self, day=MAY_18):
        Task.objects.filter(pk=self.t15.pk).update(closed_on=day)
        revision.bump()  # an update() sends no signal: bulk writes move the revision themselves

    def test_a_closed_task_owes_nothing_from_the_week_it_was_closed_in(self):
        before = plan_duties(self.plan, W20)
        self.assertIn(self.t15.pk, before)
        self.close()
        self.assertNotIn(self.t15.pk, plan_duties(self.plan, W20))
        self.assertNotIn(self.t15.pk, plan_duties(self.plan))
        self.assertEqual(plan_duties(self.plan, W19)[self.t15.pk], before[self.t15.pk])
        self.assertEqual(set(plan_duties(self.plan, W20)), set(before) - {self.t15.pk})

    def test_the_counts_of_due_reports_and_the_reminders_leave_it_out(self):
        owing = len(plan_duties(self.plan, W20)[self.t15.pk])
        due_before = period_overview(self.plan, W20, full=False).report_counts["due"]
        self.assertIn(self.t15, units_missing_reports(self.plan, W20)[self.drc.pk])
        self.close()
        overview = period_overview(self.plan, W20, full=False)
        self.assertEqual(overview.report_counts["due"], due_before - owing)
        self.assertNotIn(self.t15, overview.units[self.drc.pk].missing)
        self.assertNotIn(self.t15, units_missing_reports(self.plan, W20)[self.drc.pk])
        # A week before the closure it was owed, and still counts there.
        self.assertIn(self.t15, units_missing_reports(self.plan, W19)[self.drc.pk])

    def test_my_tasks_drops_it_from_the_to_do_and_shows_it_closed_with_its_date(self):
        add_report(self.t15, self.drc, self.staff, period=W20.key, state="draft")
        self.client.force_login(self.staff)
        url = reverse("tasks:mine")
        before = self.client.get(url, {"plan": "2022", "period": W20.key}).context["todo"]
        self.assertIn(self.t15.pk, {i["task"]["pk"] for g in before["groups"] for i in g["items"]})
        self.close()
        response = self.client.get(url, {"plan": "2022", "period": W20.key})
        after = response.context["todo"]
        self.assertNotIn(
            self.t15.pk, {i["task"]["pk"] for g in after["groups"] for i in g["items"]}
        )
        self.assertLess(after["total"], before["total"])
        self.assertContains(response, "已办结 2022-05-18")
        self.assertContains(response, "已办结，无需报送")

    def test_a_hundred_percent_accepted_report_without_closure_is_on_schedule_not_done(self):
        add_report(self.t15, self.drc, self.staff, period=W20.key, state="accepted", percent=100)
        state = task_states(self.plan, MAY_18)[self.t15.pk]
        self.assertEqual((state.status, state.label), (Status.ON_SCHEDULE, "序时推进"))
        self.close()
        self.assertEqual(task_states(self.plan, MAY_18)[self.t15.pk].status, Status.DONE)
        # Seen as of the day before its closure, it is not done yet.
        self.assertEqual(
            task_states(self.plan, MAY_18 - datetime.timedelta(days=1))[self.t15.pk].status,
            Status.ON_SCHEDULE,
        )

    def test_the_trend_lines_count_it_closed_from_its_closure_day_on(self):
        add_report(self.t15, self.drc, self.staff, period=W19.key, state="accepted", percent=40)
        self.close(datetime.date(2022, 5, 20))
        history = status_history(self.plan, [W19, W20], Task.objects.filter(pk=self.t15.pk), MAY_18)
        # Week 20 is seen as of the as-of day (May 18), before the closure: not closed yet.
        self.assertNotEqual(history[W19.key][self.t15.pk], Status.DONE)
        self.assertNotEqual(history[W20.key][self.t15.pk], Status.DONE)
        later = status_history(
            self.plan,
            [W19, W20, W21],
            Task.objects.filter(pk=self.t15.pk),
            datetime.date(2022, 6, 1),
        )
        self.assertNotEqual(later[W19.key][self.t15.pk], Status.DONE)
        self.assertEqual(later[W20.key][self.t15.pk], Status.DONE)
        self.assertEqual(later[W21.key][self.t15.pk], Status.DONE)

    def test_the_report_form_and_the_can_report_rule_refuse_a_closed_task(self):
        from tasks.access import can_report

        self.assertTrue(can_report(self.staff, self.t15, self.drc))
        self.close()
        self.t15.refresh_from_db()
        self.assertFalse(can_report(self.staff, self.t15, self.drc))
        self.client.force_login(self.staff)
        page = self.client.get(self.t15.get_absolute_url())
        self.assertNotContains(page, "填报本期进展")
        self.assertContains(page, "已办结 2022-05-18")

    def test_its_reports_leave_the_heads_and_the_offices_review_queues(self):
        from tasks.head_review import head_queue

        report = add_report(self.t15, self.drc, self.staff, period=W20.key, state="submitted")
        self.assertIn(report, head_queue(self.head))
        self.client.force_login(self.office)
        queued = self.client.get(reverse("tasks:review")).context["table"].data.data
        self.assertIn(report, queued)
        self.close()
        self.assertNotIn(report, head_queue(self.head))
        queued = self.client.get(reverse("tasks:review")).context["table"].data.data
        self.assertNotIn(report, queued)
