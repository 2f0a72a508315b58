"""The escalation ladder (reports.escalation): which task earns a yellow or a red 督办单."""

import datetime

from django.test import SimpleTestCase

from reports.escalation import RED, YELLOW, Ladder, Node, overdue_nodes, trailing_run, trigger
from tasks.status import Status

B, S, G, D = Status.BEHIND, Status.SERIOUSLY_BEHIND, Status.ON_SCHEDULE, Status.DONE
DAY = datetime.date(2022, 5, 18)


def weeks(*statuses):
    return [(f"第{17 + i}周", s) for i, s in enumerate(statuses)]


class LadderTests(SimpleTestCase):
    def test_three_lagging_weeks_in_a_row_earn_a_yellow_notice(self):
        found = trigger(weeks(G, B, B, B), as_of=DAY, completion=20, ladder=Ladder(3, 1))
        self.assertEqual(found.color, YELLOW)
        self.assertEqual(found.facts, ("连续3期滞后（第18周、第19周、第20周）",))

    def test_two_lagging_weeks_are_not_enough_for_three(self):
        self.assertIsNone(trigger(weeks(B, G, B, B), as_of=DAY, completion=20, ladder=Ladder(3, 1)))

    def test_the_office_sets_how_many_weeks(self):
        self.assertEqual(trigger(weeks(G, B, B), as_of=DAY, completion=20,
                                 ladder=Ladder(2, 1)).color, YELLOW)  # fmt: skip

    def test_seriously_behind_earns_a_red_notice(self):
        found = trigger(weeks(G, B, S), as_of=DAY, completion=5, ladder=Ladder(3, 1))
        self.assertEqual((found.color, found.facts), (RED, ("第19周严重滞后",)))

    def test_red_may_need_consecutive_serious_periods(self):
        ladder = Ladder(3, 2)
        self.assertIsNone(trigger(weeks(G, G, S), as_of=DAY, completion=5, ladder=ladder))
        found = trigger(weeks(G, S, S), as_of=DAY, completion=5, ladder=ladder)
        self.assertEqual(found.facts, ("连续2期严重滞后（第18周、第19周）",))

    def test_serious_weeks_count_as_lagging_towards_yellow(self):
        # 滞后, 严重滞后, 滞后: three lagging weeks; the latest is not serious, so yellow.
        found = trigger(weeks(B, S, B), as_of=DAY, completion=20, ladder=Ladder(3, 1))
        self.assertEqual(found.color, YELLOW)

    def test_an_overdue_node_earns_a_red_notice_with_its_facts(self):
        node = Node(datetime.date(2022, 4, 30), 40, "完成选址")
        found = trigger(weeks(G, G), as_of=DAY, completion=25, nodes=[node])
        self.assertEqual(found.color, RED)
        self.assertEqual(
            found.facts, ("时间节点“完成选址”（2022年4月30日，应达40%）已过期，完成进度25%",)
        )

    def test_a_node_met_or_not_yet_due_earns_nothing(self):
        met = Node(datetime.date(2022, 4, 30), 40)
        later = Node(datetime.date(2022, 6, 30), 60)
        self.assertEqual(overdue_nodes(DAY, 40, [met, later]), [])
        self.assertEqual(overdue_nodes(DAY, None, [met]), [met])  # no figure counts as 0 %
        # A node due today is not overdue yet.
        self.assertEqual(overdue_nodes(DAY, 0, [Node(DAY, 50)]), [])

    def test_a_done_task_earns_nothing(self):
        self.assertIsNone(trigger(weeks(B, B, B, D), as_of=DAY, completion=100))

    def test_trailing_run_counts_only_the_latest_statuses(self):
        self.assertEqual(trailing_run([B, G, B, S], {B, S}), 2)
        self.assertEqual(trailing_run([], {B}), 0)

    def test_an_empty_ladder_step_is_refused(self):
        for bad in ({"yellow_periods": 0}, {"red_periods": 0}, {"reply_days": 0}):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                Ladder(**bad)
