"""The task list's and the review queue's kept figures (tasks.plan_rows, tasks.stale
kept_verdicts) move with the data: a change shows on the next page, on the kept path (an
ordinary TestCase runs inside a transaction, as production's requests do: tasks.revision)."""

from unittest import mock

from django.test import override_settings
from django.urls import reverse

from tasks import stale
from tasks.models import ProgressReport

from .base import BaseTestCase
from .objects import submitted_report


@override_settings(AS_OF_DATE="2022-05-18")
class TaskListFiguresTests(BaseTestCase):
    def page(self, **params) -> str:
        response = self.client.get(reverse("tasks:list"), {"plan": "2022", **params})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_renamed_unit_leader_or_task_shows_at_once(self):
        self.login_renewed(self.office)
        task = self.task["1"]
        unit = task.unit_links.filter(role="lead").first().department
        leader = task.leader_links.first().leader
        before = self.page(q="1")  # the rows and the choices are kept now
        self.assertNotIn("改名后的单位", before)
        unit.name = "改名后的单位"
        unit.save()
        leader.name = "新任领导"
        leader.save()
        task.title = "改过的任务标题"
        task.save()
        after = self.page(q="1")
        # The row's 牵头单位 and both unit filters' options; the row's 牵头领导 and its option.
        self.assertGreaterEqual(after.count("改名后的单位"), 3)
        self.assertGreaterEqual(after.count("新任领导"), 2)
        self.assertIn("改过的任务标题", after)

    def test_a_new_report_moves_the_kept_state(self):
        self.login_renewed(self.office)
        self.assertNotIn("88.0% /", self.page(q="15"))  # kept now
        submitted_report(self, percent=88)
        self.assertIn("88.0% /", self.page(q="15"))


@override_settings(AS_OF_DATE="2022-05-18")
class KeptVerdictsTests(BaseTestCase):
    def test_a_counted_report_changed_judges_the_page_again(self):
        report = submitted_report(self, percent=30)
        reports = list(ProgressReport.objects.filter(pk=report.pk).select_related("task__plan"))
        with mock.patch("tasks.stale.verdicts", wraps=stale.verdicts) as judged:
            stale.kept_verdicts(reports)
            stale.kept_verdicts(reports)
            self.assertEqual(judged.call_count, 1)  # kept
            report.progress = "新的进展"
            report.save()  # a counted report: tasks.receivers moves the revision
            stale.kept_verdicts(reports)
            self.assertEqual(judged.call_count, 2)
