"""完成进度 is the percent the lead unit typed: the same figure on every page and in the workbook.

The lead's decision (issue 13): indicators are shown apart, with their own 完成率, and do not
drive the task's completion or its light. A task whose only indicator is met (100 %) while the
unit typed 38 % shows 38 % on the portfolio, the task page and the weekly workbook.
"""

from io import BytesIO

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from reports import rollup
from tasks.models import IndicatorValue, Plan, Task
from tasks.periods import parse_period_key
from tasks.progress import task_states

from .base import BaseTestCase
from .test_weekly_report import add_report

W20 = parse_period_key("2022-W20")


@override_settings(AS_OF_DATE="2022-05-20")
class TypedPercentEverywhereTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.seven = Task.objects.get(plan=cls.plan, number="7")
        report = add_report(cls.seven, cls.drc, cls.staff, progress="累计完成36.5%", percent=38)
        cls.investment = cls.seven.indicators.get(name="年度投资")
        IndicatorValue.objects.create(
            report=report, indicator=cls.investment, actual=cls.investment.target
        )

    def test_the_state_keeps_the_typed_percent_and_the_indicator_its_own_rate(self):
        state = task_states(self.plan, W20.end)[self.seven.pk]
        self.assertEqual(state.completion, 38.0)
        [item] = [i for i in state.indicators if i.indicator.pk == self.investment.pk]
        self.assertEqual(item.completion, 100.0)

    def test_the_portfolio_shows_38_percent(self):
        self.client.force_login(self.leader)
        url = reverse("leaders:portfolio", args=[self.zhangya.pk])
        response = self.client.get(url)
        row = next(r for r in response.context["portfolio"].rows if r.number == "7")
        # the page's cell (from the kept row), and the export's number column
        self.assertEqual(row.completion, 38.0)
        self.assertContains(response, "<small>38.0% / ")
        self.assertNotContains(response, "<small>100.0% / ")
        sheet = load_workbook(BytesIO(b"".join(self.client.get(url, {"_export": "xlsx"})))).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = next(r for r in rows if "完成进度" in r)
        seven = next(r for r in rows if r[header.index("编号")] == "7")
        self.assertEqual(seven[header.index("完成进度")], 38)

    def test_the_task_page_shows_38_percent_and_the_indicator_apart(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("tasks:detail", args=[self.plan.slug, "7"]))
        self.assertContains(response, "完成进度 38.0%")
        self.assertContains(response, "<td>100.0%</td>", html=True)  # the indicator's 完成率

    def test_the_workbook_shows_38_percent(self):
        rollup.produce(self.plan, W20)
        sheet = load_workbook(rollup.workbook_path(self.plan, W20))["总表"]
        headers = [c.value for c in sheet[4]]
        column = headers.index("完成进度")
        row = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] == "7")
        self.assertEqual(row[column], 38.0)
