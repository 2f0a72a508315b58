"""The task page's kept figure (tasks.task_page) is never older than the data it comes from.

The page keeps the task, its sub-items, who is responsible, its state and its charts under the
data revision; each change below is made after the figure was kept, and the next page shows
it. Committed for real (TransactionTestCase), as in a web request.
"""

import datetime

from django.db import connection
from django.http import HttpRequest
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from departments.models import Department
from leaders.models import Leader
from tasks import reporting, task_page
from tasks.models import ProgressReport, Task, TaskLeader, TaskUnit
from tasks.periods import parse_period_key

from .base import PASSWORD, make_user
from .test_revision import AS_OF, RevisionTestCase, without_csrf


@override_settings(AS_OF_DATE="2022-05-18")
class TaskPageFigureTests(RevisionTestCase):
    def setUp(self):
        super().setUp()
        self.office = make_user("office", office=True)
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        self.task = Task.objects.get(plan=self.plan, number="7")
        self.url = self.task.get_absolute_url()
        self.client.get(self.url)  # renews the session and keeps the figure

    def page(self) -> str:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_kept_page_reads_no_task_data_and_shows_the_same(self):
        with CaptureQueriesContext(connection) as queries:
            first = self.client.get(self.url)
        second = self.client.get(self.url)
        self.assertEqual(without_csrf(first.content), without_csrf(second.content))
        self.assertFalse([q for q in queries if 'FROM "tasks_task"' in q["sql"]])
        self.assertFalse([q for q in queries if 'FROM "tasks_taskunit"' in q["sql"]])

    def test_who_is_responsible_and_the_sub_items_move_it(self):
        town = Department.objects.get(name="堂邑镇")
        self.assertNotIn("堂邑镇", self.page())
        TaskUnit.objects.create(
            task=self.task, department=town, role=TaskUnit.Role.COOPERATING, position=99
        )
        self.assertIn("堂邑镇", self.page())
        town.name = "堂邑镇人民政府"
        town.save()
        self.assertIn("堂邑镇人民政府", self.page())
        leader = Leader.objects.create(name="新任领导", title="副区长")
        TaskLeader.objects.create(task=self.task, leader=leader, position=9)
        self.assertIn("新任领导", self.page())
        child = Task.objects.create(
            plan=self.plan,
            section=self.task.section,
            number="7(1)",
            parent=self.task,
            text="新增的分项任务",
            sort_order=9999,
        )
        self.assertIn("新增的分项任务", self.page())
        child.delete()
        self.assertNotIn("新增的分项任务", self.page())

    def test_a_counted_report_moves_the_state_and_the_chart(self):
        figure = task_page.task_figure(self.plan, "7", AS_OF)
        lead = TaskUnit.objects.filter(task=self.task, role=TaskUnit.Role.LEAD).first()
        period = parse_period_key("2022-W20")
        report = ProgressReport.objects.create(
            task=self.task,
            department=lead.department,
            role=TaskUnit.Role.LEAD,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            state=ProgressReport.State.SUBMITTED,
            progress="本周新进展",
            percent=77,
            submitted_at=datetime.datetime(2022, 5, 18, 9, tzinfo=datetime.UTC),
            created_by=self.office,
            updated_by=self.office,
        )
        moved = task_page.task_figure(self.plan, "7", AS_OF)
        self.assertNotEqual(figure.state.completion, 77.0)
        self.assertEqual(moved.state.completion, 77.0)
        self.assertEqual(moved.state.latest.pk, report.pk)
        self.assertNotEqual(moved.charts, figure.charts)
        html = self.page()
        self.assertIn("完成进度 77.0%", html)
        self.assertIn("本周新进展", html)
        reporting.return_report(report, self.office, "补充")
        self.assertNotEqual(task_page.task_figure(self.plan, "7", AS_OF).state.completion, 77.0)
