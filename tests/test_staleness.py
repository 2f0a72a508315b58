"""The stale-report rule (tasks.staleness, pure) on realistic pairs, and its flags on pages."""

from decimal import Decimal

from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from tasks import stale
from tasks.models import ProgressReport
from tasks.staleness import FIGURES, TEXT, Facts, figures, judge, normalise, same_text, similarity

from .base import BaseTestCase
from .coordination_objects import report

COPIED = "截至5月20日，已完成投资3.2亿元，占年度计划的45%。项目主体结构施工中。"


class SimilarityRuleTests(SimpleTestCase):
    def test_last_weeks_text_with_only_the_date_changed_is_the_same(self):
        later = COPIED.replace("5月20日", "5月27日")
        self.assertEqual(similarity(COPIED, later), 1.0)
        self.assertEqual(same_text(later, COPIED, 0.85), 1.0)

    def test_the_same_wording_with_moved_figures_is_news(self):
        moved = "截至5月27日，已完成投资3.5亿元，占年度计划的48%。项目主体结构施工中。"
        self.assertEqual(similarity(COPIED, moved), 1.0)  # the wording is the same …
        self.assertIsNone(same_text(moved, COPIED, 0.85))  # … but the figures moved

    def test_punctuation_spaces_and_full_width_forms_do_not_count(self):
        self.assertEqual(normalise("按 计划，推进。ＡＢ"), "按计划推进ab")
        self.assertEqual(same_text("按计划推进。", "按计划推进", 0.85), 1.0)

    def test_one_new_matter_in_a_short_text_lowers_the_score_below_the_default(self):
        a, b = (
            "本周召开推进会一次，协调解决用地问题。",
            "本周召开推进会一次，协调解决用地、用电问题。",
        )
        self.assertLess(similarity(a, b), 0.85)
        self.assertGreater(similarity(a, b), 0.7)

    def test_unrelated_reports_score_near_zero_and_empty_text_is_never_stale(self):
        self.assertLess(
            similarity("完成土地征收120亩，拆迁正在进行。", "启动二期厂房建设，签订合同3份。"), 0.1
        )
        self.assertIsNone(same_text("", "", 0.85))
        self.assertIsNone(same_text("。。", "——", 0.85))

    def test_dates_are_not_figures_but_amounts_are(self):
        self.assertEqual(figures("2022年5月20日完成投资3.2亿元，第20周新增12个"), ("3.2", "12"))

    def test_unchanged_figures_flag_only_a_task_behind_and_only_after_n_reports(self):
        def facts(progress, percent="30", values=None):
            return Facts(progress, Decimal(percent), values or {1: Decimal("5")})

        now = facts("新写的第三周进展")
        earlier = [facts("第二周做了别的"), facts("第一周做了这些")]
        verdict = judge(now, earlier, threshold=0.85, periods=3, behind=True)
        self.assertEqual((verdict.reason, verdict.periods), (FIGURES, 3))
        self.assertIsNone(judge(now, earlier, threshold=0.85, periods=3, behind=False))
        self.assertIsNone(judge(now, earlier[:1], threshold=0.85, periods=3, behind=True))
        moved = [facts("第二周", values={1: Decimal("4")}), earlier[1]]
        self.assertIsNone(judge(now, moved, threshold=0.85, periods=3, behind=True))

    def test_the_verdict_reads_as_the_pages_show_it(self):
        verdict = judge(
            Facts(COPIED, 40, {}), [Facts(COPIED, 35, {})], threshold=0.85, periods=3, behind=False
        )
        self.assertEqual(verdict.reason, TEXT)
        self.assertEqual(verdict.short, "与上期基本相同 100%")
        self.assertIn("相似度 100%", verdict.text)


@override_settings(AS_OF_DATE="2022-05-18", STALE_SIMILARITY_PERCENT=85, STALE_PERIODS=3)
class StaleFlagTests(BaseTestCase):
    def setUp(self):
        task = self.task["15"]
        report(
            self,
            task,
            self.drc,
            key="2022-W19",
            start="2022-05-09",
            end="2022-05-15",
            progress=COPIED,
            percent=30,
        )
        self.copied = report(
            self, task, self.drc, progress=COPIED.replace("20日", "27日"), percent=31
        )
        report(
            self,
            self.task["1"],
            self.drc,
            key="2022-W19",
            start="2022-05-09",
            end="2022-05-15",
            progress="第一周",
            percent=30,
        )
        self.fresh = report(self, self.task["1"], self.drc, progress="完全不同的新进展", percent=32)

    def test_the_office_and_the_head_see_the_copied_report_flagged_with_its_similarity(self):
        for user in (self.office, self.head):
            self.client.force_login(user)
            response = self.client.get(reverse("tasks:review"))
            self.assertContains(response, "与上期基本相同 100%", count=1)

    def test_the_dashboard_counts_and_lists_the_periods_stale_reports(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("home"), {"plan": "2022", "period": "2022-W20"})
        self.assertContains(response, 'data-stale-total="1"')
        self.assertContains(response, reverse("tasks:report_history", args=[self.copied.pk]))

    def test_stale_reports_by_unit_counts_each_units_flagged_reports(self):
        from tasks.periods import parse_period_key

        plan = self.task["15"].plan
        periods = [parse_period_key("2022-W19"), parse_period_key("2022-W20")]
        self.assertEqual(stale.stale_reports_by_unit(plan, periods), {self.drc.pk: 1})
        reports = ProgressReport.objects.filter(pk__in=[self.copied.pk, self.fresh.pk])
        flags = stale.verdicts(reports.select_related("task__plan"))
        self.assertEqual(set(flags), {self.copied.pk})

    def test_the_kept_count_per_unit_moves_with_a_report_and_with_the_rule(self):
        from tasks.periods import parse_period_key

        plan = self.task["15"].plan
        periods = [parse_period_key("2022-W19"), parse_period_key("2022-W20")]
        self.assertEqual(stale.kept_stale_by_unit(plan, periods), {self.drc.pk: 1})
        self.fresh.progress, self.fresh.percent = "第一周", 30  # now a copy of last week too
        self.fresh.save()
        self.assertEqual(stale.kept_stale_by_unit(plan, periods), {self.drc.pk: 2})
        with self.settings(STALE_SIMILARITY_PERCENT=101):  # nothing is that similar
            self.assertEqual(stale.kept_stale_by_unit(plan, periods), {})
