"""Every page's kept figures are per plan (tasks.revision memo(..., plan=)): a unit's report on
one plan keeps another plan's task list, task page, 我的任务 rows, portfolio and dashboard
figures, so 160 counties in one database do not recompute each other's pages; and what is kept
for the other plan still equals a fresh computation."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from leaders.models import Leader
from leaders.portfolio import portfolio
from reports.dashboard_figures import dashboard_figures
from tasks import reporting, revision, unit_figures
from tasks.plan_rows import list_figures
from tasks.task_page import task_figure

from .synthetic import build_plan
from .test_revision import AS_OF, FreshBase


@override_settings(AS_OF_DATE="2022-05-18")
class PageFiguresPerPlanTests(FreshBase):
    def setUp(self):
        super().setUp()
        self.other = build_plan(
            slug="2022-b", year=2022, tasks=8, reports_for=self.drc,
            period_key="2022-W19", author=self.staff,
        )  # fmt: skip
        revision.bump()  # bulk_create sends no signals
        self.period = reporting.current_period(self.other, AS_OF)
        self.leader = Leader.objects.get(name="张娅")

    def figures(self, plan):
        return {
            "task list": lambda: list_figures(plan, AS_OF),
            "task page": lambda: task_figure(plan, "1", AS_OF),
            "我的任务 rows": lambda: unit_figures.plan_rows(plan),
            "lights": lambda: unit_figures.plan_lights(plan, AS_OF),
            "portfolio": lambda: portfolio(plan, self.leader, self.period, AS_OF),
            "dashboard": lambda: dashboard_figures(plan, self.period, AS_OF),
        }

    def computed(self, figure) -> bool:
        with CaptureQueriesContext(connection) as queries:
            figure()
        return len(queries) > 1  # more than the revision's counters

    def test_a_report_on_one_plan_keeps_every_page_figure_of_the_other(self):
        for figure in self.figures(self.other).values():
            figure()
        self.post_report("submit")  # task 7 of the 2022 plan
        for name, figure in self.figures(self.other).items():
            with self.subTest(name):
                self.assertFalse(self.computed(figure))
        for name, figure in self.figures(self.plan).items():
            with self.subTest(name):
                figure()  # the changed plan's figures are recomputed or were warmed: no error

    def test_a_change_to_the_other_plan_moves_its_figures(self):
        for figure in self.figures(self.other).values():
            figure()
        task = self.other.tasks.get(number="1")
        task.text = "改写：" + task.text
        task.save()
        self.assertTrue(self.computed(lambda: task_figure(self.other, "1", AS_OF)))
        self.assertTrue(self.computed(lambda: list_figures(self.other, AS_OF)))
        rows = list_figures(self.other, AS_OF).rows
        self.assertTrue(rows[task.pk].text.startswith("改写："))
