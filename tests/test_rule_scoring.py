"""The unit score (reports.scoring): parts, weights, clamping, ranks and the top/bottom five."""

import pytest
from django.test import SimpleTestCase

from reports.scoring import (
    Score,
    UnitFigures,
    Weights,
    formula_text,
    rank,
    score,
    weights_from,
)


def parts(result):
    return {p.key: p.points for p in result.parts}


class UnitScoreTests(SimpleTestCase):
    def test_a_unit_reporting_on_time_with_every_lead_task_at_pace_scores_full_marks(self):
        result = score(UnitFigures(due=20, on_time=20, lead_tasks=4, at_pace=4))
        self.assertEqual(result.total, 100.0)
        self.assertEqual(parts(result)["on_time"], 40.0)
        self.assertEqual(parts(result)["pace"], 60.0)

    def test_each_part_is_its_figure_times_its_weight(self):
        figures = UnitFigures(due=20, on_time=15, lead_tasks=4, at_pace=3, returned=2, stale=1,
                              extensions=1, overdue_items=1, closed=1)  # fmt: skip
        result = score(figures)
        self.assertEqual(
            parts(result),
            {"on_time": 30.0, "pace": 45.0, "returned": -2.0, "stale": -1.0, "extension": -2.0,
             "overdue_item": -2.0, "closed": 2.0},
        )  # fmt: skip
        self.assertEqual(result.total, 70.0)
        self.assertEqual(result.raw, 70.0)

    def test_the_parts_say_what_the_unit_did(self):
        result = score(UnitFigures(due=50, on_time=45, lead_tasks=0, returned=3))
        figures = {p.key: p.figure for p in result.parts}
        self.assertEqual(figures["on_time"], "45/50（90.0%）")
        self.assertEqual(figures["pace"], "无牵头任务")
        self.assertEqual(figures["returned"], "3 次")

    def test_nothing_due_and_no_lead_task_begun_count_as_full_rates(self):
        result = score(UnitFigures())
        self.assertEqual(result.total, 100.0)
        self.assertEqual({p.key: p.figure for p in result.parts}["on_time"], "本期无应报")

    def test_the_total_is_clamped_to_zero_and_a_hundred_but_the_raw_sum_is_kept(self):
        low = score(UnitFigures(due=10, on_time=0, lead_tasks=2, at_pace=0, returned=30))
        self.assertEqual((low.total, low.raw), (0.0, -30.0))
        high = score(UnitFigures(due=1, on_time=1, closed=5))
        self.assertEqual((high.total, high.raw), (100.0, 110.0))

    def test_other_weights_change_the_score(self):
        weights = weights_from({"on_time": 50, "pace": 50, "returned": -5})
        result = score(UnitFigures(due=10, on_time=5, lead_tasks=2, at_pace=2, returned=1), weights)
        self.assertEqual(result.total, 70.0)  # 25 + 50 - 5

    def test_an_unknown_weight_is_refused(self):
        with self.assertRaisesMessage(ValueError, "ontime"):
            weights_from({"ontime": 40})

    def test_impossible_figures_are_refused(self):
        for bad in ({"due": 1, "on_time": 2}, {"lead_tasks": 1, "at_pace": 2}, {"returned": -1}):
            with self.subTest(bad=bad), pytest.raises(ValueError):
                UnitFigures(**bad)

    def test_points_round_half_up_to_one_decimal(self):
        # 1/3 × 40 = 13.333… → 13.3; 2/3 × 60 = 40.0; 1/8 × 60 = 7.5 exactly; 7/16 × 40 = 17.5
        result = score(UnitFigures(due=16, on_time=7, lead_tasks=8, at_pace=1))
        self.assertEqual(parts(result)["on_time"], 17.5)
        self.assertEqual(parts(result)["pace"], 7.5)

    def test_the_formula_names_every_weight(self):
        lines = formula_text(Weights(returned=-3))
        self.assertIn("按时报送率 × 40", lines[0])
        self.assertIn("× -3", lines[2])
        self.assertEqual(len(lines), len(Weights.keys()) + 1)


def _s(total):
    return Score(total=total, parts=())


class RankingTests(SimpleTestCase):
    def test_units_rank_best_first_and_ties_share_a_rank_in_registry_order(self):
        ranked = rank([("b", _s(80)), ("a", _s(90)), ("c", _s(80)), ("d", _s(70))],
                      order={"a": 0, "c": 1, "b": 2, "d": 3})  # fmt: skip
        self.assertEqual(
            [(r.key, r.rank) for r in ranked], [("a", 1), ("c", 2), ("b", 2), ("d", 4)]
        )

    def test_the_top_and_bottom_five_are_marked_and_never_both(self):
        ranked = rank([(n, _s(100 - n)) for n in range(12)])
        self.assertEqual([r.key for r in ranked if r.top], [0, 1, 2, 3, 4])
        self.assertEqual([r.key for r in ranked if r.bottom], [7, 8, 9, 10, 11])
        few = rank([(n, _s(100 - n)) for n in range(7)])
        self.assertEqual([r.key for r in few if r.top], [0, 1, 2, 3, 4])
        self.assertEqual([r.key for r in few if r.bottom], [5, 6])

    def test_units_tied_at_the_cut_are_marked_alike(self):
        ranked = rank([(n, _s(90 if n < 6 else 50 - n)) for n in range(12)])
        self.assertEqual(sum(r.top for r in ranked), 6)
