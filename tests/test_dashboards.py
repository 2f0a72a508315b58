"""What the office dashboard and a leader's portfolio show."""

from django.test import override_settings
from django.urls import reverse

from notifications.models import Reminder
from tasks.models import IndicatorValue, Task

from .base import BaseTestCase
from .test_weekly_report import add_report


@override_settings(AS_OF_DATE="2022-05-20")
class DashboardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        task = Task.objects.get(plan__year=2022, number="7")
        add_report(task, cls.drc, cls.staff, progress="七号任务进展", percent=45)
        add_report(
            Task.objects.get(plan__year=2022, number="1"),
            cls.drc,
            cls.staff,
            percent=5,
            problems="土地指标不足",
        )

    def test_the_office_sees_this_periods_counts_lagging_tasks_and_rates(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "第20周（5月16日—5月22日）")
        self.assertContains(response, "已采纳 2")
        lagging = [row.number for row in response.context["lagging"]]
        self.assertEqual(lagging[0], "1")  # 严重滞后 comes first
        units = response.context["units_worst"] + response.context["units_rest"]
        rates = {u.name: u.rate for u in units}
        self.assertEqual(rates["区财政局"], 0.0)
        self.assertGreater(rates["区发展和改革局"], 0)
        self.assertContains(response, "土地指标不足")  # a new problem raised this period

    def test_one_click_reminds_every_unit_still_missing_reports(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("home"))
        missing = page.context["missing_units"]
        form = {"plan": page.context["plan"].pk, "period": "2022-W20"}
        confirm = self.client.post(reverse("notify:send_reminders"), form)
        self.assertEqual(len(confirm.context["units"]), missing)  # asked first, nothing sent
        self.assertEqual(Reminder.objects.count(), 0)
        form.update(confirm="1", seen=confirm.context["seen"])
        self.client.post(reverse("notify:send_reminders"), form)
        self.assertEqual(Reminder.objects.count(), missing)
        self.client.post(reverse("notify:send_reminders"), form)
        self.assertEqual(Reminder.objects.count(), missing)  # never twice


@override_settings(AS_OF_DATE="2022-05-20")
class PortfolioTests(BaseTestCase):
    def test_a_leader_sees_lagging_tasks_first_with_the_latest_report(self):
        seven = Task.objects.get(plan__year=2022, number="7")
        report = add_report(seven, self.drc, self.staff, progress="七号任务进展", percent=45)
        IndicatorValue.objects.create(
            report=report, indicator=seven.indicators.get(name="年度投资"), actual=90
        )
        add_report(Task.objects.get(plan__year=2022, number="1"), self.drc, self.staff, percent=5)
        self.client.force_login(self.leader)
        response = self.client.get(reverse("leaders:portfolio", args=[self.zhangya.pk]))
        rows = [row.number for row in response.context["portfolio"].rows]
        first_green = rows.index("7")
        self.assertLess(rows.index("1"), first_green)  # the red one comes before the green one
        self.assertContains(response, "七号任务进展")
        self.assertContains(response, "第一牵头")
        self.assertEqual(len(response.context["charts"]), 3)  # status, trend, indicators
        self.assertIn("年度投资", str(response.context["charts"][2]))

    def test_the_menu_and_the_page_say_the_same_words(self):
        self.client.force_login(self.leader)
        url = reverse("leaders:portfolio", args=[self.zhangya.pk])
        response = self.client.get(url)
        self.assertContains(response, f'<a href="{url}">我牵头的任务</a>', html=True)  # menu
        self.assertContains(response, "<h1>我牵头的任务 <small", html=False)
        self.assertContains(response, "<title>我牵头的任务", html=False)
        self.assertNotContains(response, "分管")
        self.client.force_login(self.office)
        self.assertContains(self.client.get(url), "<h1>张娅 牵头的任务", html=False)

    def test_the_trend_counts_lagging_tasks_and_indicators_show_their_pace(self):
        seven = Task.objects.get(plan__year=2022, number="7")
        report = add_report(seven, self.drc, self.staff, percent=38)
        IndicatorValue.objects.create(
            report=report, indicator=seven.indicators.get(name="年度投资"), actual=195
        )
        self.client.force_login(self.leader)
        response = self.client.get(reverse("leaders:portfolio", args=[self.zhangya.pk]))
        _, trend, indicators = (str(c) for c in response.context["charts"])
        self.assertIn("chart-columns", trend)
        self.assertIn("滞后任务数（逐周）", trend)
        self.assertIn("严重滞后", trend)
        self.assertIn("chart-pace", indicators)
        self.assertIn('class="expected"', indicators)
        self.assertIn("年度投资（目标不低于195亿元） 100%（序时", indicators)
