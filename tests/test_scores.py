"""单位考核: the figures gathered per unit, the ranking page (office and leaders; units their own
score until the office publishes), the xlsx export and the workbook's 单位考核 sheet."""

import datetime
import io

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from leaders.models import CoordinationItem
from reports import rollup
from reports.models import ScorePublication
from reports.score_inputs import (
    extension_counts,
    judged_periods,
    overdue_item_counts,
    parse_span,
    unit_figures,
)
from tasks.models import ExtensionApplication, Plan, ReportEvent
from tasks.periods import parse_period_key

from .base import BaseTestCase
from .test_weekly_report import add_report

MAY = "2022-05"


# The 19th: W20's reports are due on Friday the 20th (whatever the time of day the test runs).
@override_settings(AS_OF_DATE="2022-05-19")
class ScoreFigureTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.span = parse_span(cls.plan, MAY)
        # 区发展和改革局 on task 1 (it leads): W18 on time, W19 late and once returned.
        add_report(cls.task["1"], cls.drc, cls.staff, period="2022-W18", percent=30)
        late = add_report(cls.task["1"], cls.drc, cls.staff, period="2022-W19", late=True)
        ReportEvent.objects.create(report=late, action="returned", actor=cls.office,
                                   at=datetime.datetime(2022, 5, 17, tzinfo=datetime.UTC))  # fmt: skip
        cls.task["15"].closed_on = datetime.date(2022, 5, 10)
        cls.task["15"].save()

    def figures(self):
        return unit_figures(self.plan, self.span)[0][self.drc.pk]

    def test_the_judged_periods_are_the_months_weeks_already_due(self):
        keys = [p.key for p in judged_periods(self.plan, self.span)]
        # W18 (5月2日—8日) and W19 were due by 5月19日; W20 is not yet; W17 began in April.
        self.assertEqual(keys, ["2022-W18", "2022-W19"])

    def test_only_reports_handed_in_on_time_count_as_on_time(self):
        figures = self.figures()
        self.assertEqual(figures.on_time, 1)
        self.assertGreater(figures.due, 2)  # every task the unit owes, twice

    def test_every_return_counts_and_closed_lead_tasks_count(self):
        figures = self.figures()
        self.assertEqual(figures.returned, 1)
        self.assertEqual(figures.closed, 1)  # task 15, closed on 5月10日

    def test_approved_extensions_count_in_the_month_they_were_approved_in(self):
        def application(state, office_at, leader_at=None):
            return ExtensionApplication.objects.create(
                task=self.task["1"], unit=self.drc, applicant=self.staff, reason="资金未到位",
                applied_at=office_at, original_date=datetime.date(2022, 6, 30),
                requested_date=datetime.date(2022, 9, 30), state=state, office_at=office_at,
                leader_at=leader_at,
            )  # fmt: skip

        may, april = (datetime.datetime(2022, m, 10, tzinfo=datetime.UTC) for m in (5, 4))
        application("approved", april, leader_at=may)  # the leader approved it in May
        application("refused", may)
        self.assertEqual(extension_counts(self.plan, self.span), {self.drc.pk: 1})
        self.assertEqual(self.figures().extensions, 1)

    def test_overdue_coordination_items_count_for_the_unit_that_must_act(self):
        item = CoordinationItem.objects.create(
            task=self.task["1"], department=self.town, kind="department", period_key="2022-W17",
            text="需要发改局协调用地指标", due=datetime.date(2022, 5, 6), created_by=self.town_staff,
            created_at=datetime.datetime(2022, 4, 25, tzinfo=datetime.UTC),
        )  # fmt: skip
        item.units.add(self.drc)
        self.assertEqual(self.figures().overdue_items, 1)
        self.assertNotIn(self.town.pk, overdue_item_counts(self.plan, self.span, self.span.last))

    def test_a_month_or_year_outside_the_plan_is_refused(self):
        for key in ("2021-05", "2022-13", "2022-5", "abc", "2023"):
            with self.subTest(key=key), self.assertRaises(ValueError):
                parse_span(self.plan, key)


@override_settings(AS_OF_DATE="2022-05-20")
class RankingPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        add_report(cls.task["1"], cls.drc, cls.staff, period="2022-W18", percent=30)

    def get(self, user, **params):
        self.client.force_login(user)
        return self.client.get(reverse("reports:scores"), {"plan": self.plan.slug, **params})

    def test_the_office_sees_every_unit_ranked_with_the_formula_and_parts(self):
        response = self.get(self.office, period=MAY)
        self.assertContains(response, "按时报送率 × 40")
        self.assertContains(response, 'data-unit="区发展和改革局"')
        self.assertContains(response, 'data-unit="堂邑镇"')
        self.assertContains(response, "rank-top")
        self.assertContains(response, "rank-bottom")

    def test_a_unit_sees_its_own_score_and_parts_but_no_ranking_until_published(self):
        response = self.get(self.staff, period=MAY)
        self.assertContains(response, "本单位得分：区发展和改革局")
        self.assertContains(response, "data-parts")
        self.assertNotContains(response, 'data-unit="堂邑镇"')
        self.assertNotContains(response, "第 ")  # no rank of its own either
        self.assertEqual(self.get(self.staff, period=MAY, _export="xlsx").status_code, 403)

    def test_once_the_office_publishes_units_see_the_ranking_and_it_is_recorded(self):
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("reports:scores_publish"),
            {"plan": self.plan.slug, "period": MAY, "action": "publish"},
        )
        self.assertEqual(response.status_code, 302)
        row = ScorePublication.objects.get(plan=self.plan, period_key=MAY)
        self.assertEqual((row.published, row.changed_by), (True, self.office))
        self.assertContains(self.get(self.town_staff, period=MAY), 'data-unit="区发展和改革局"')
        # The year is another period: still unpublished.
        self.assertNotContains(
            self.get(self.town_staff, period="2022"), 'data-unit="区发展和改革局"'
        )

    def test_only_the_office_publishes(self):
        self.client.force_login(self.leader)
        response = self.client.post(
            reverse("reports:scores_publish"),
            {"plan": self.plan.slug, "period": MAY, "action": "publish"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ScorePublication.objects.exists())

    def test_bad_periods_are_not_found(self):
        for period in ("2022-W20", "2022-12", "x" * 50, "2021"):
            with self.subTest(period=period):
                self.assertEqual(self.get(self.office, period=period).status_code, 404)

    def test_the_export_is_the_ranking_as_xlsx(self):
        response = self.get(self.office, period=MAY, _export="xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        self.assertEqual(sheet.cell(2, 1).value, "名次")
        self.assertEqual(sheet.cell(2, 14).value, "得分构成")
        units = [sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)]
        self.assertIn("区发展和改革局", units)
        self.assertIn("按时报送率", sheet.cell(3, 14).value)

    def test_the_weekly_workbook_has_the_months_scores_sheet(self):
        snapshot = rollup.produce(self.plan, parse_period_key("2022-W20"))
        book = load_workbook(rollup.workbook_path(self.plan, parse_period_key("2022-W20")))
        sheet = book["单位考核"]
        self.assertEqual(sheet.cell(1, 1).value, "2022年5月单位考核排名")
        self.assertIn("按时报送率 × 40", sheet.cell(3, 1).value)
        formula = len(snapshot.summary["scores"]["formula"])  # a row each, under title and date
        self.assertEqual(sheet.cell(3 + formula, 1).value, "名次")
        self.assertEqual(len(snapshot.summary["scores"]["rows"]), sheet.max_row - 3 - formula)
