"""The rule of deadline extensions (tasks.deadlines): which date a task or node is judged on,
and which new dates may be applied for. Pure: no database."""

import datetime
from unittest import TestCase

from tasks.deadlines import (
    current_date,
    deadline_label,
    effective_deadline,
    effective_due,
    refusal,
)
from tasks.status import Status, evaluate, task_span

D = datetime.date
JUNE_END = D(2022, 6, 30)


class EffectiveDateTests(TestCase):
    def test_the_approved_extension_wins_over_the_original(self):
        self.assertEqual(effective_deadline(D(2022, 3, 31), D(2022, 9, 30)), D(2022, 9, 30))

    def test_without_an_approved_extension_the_original_stands(self):
        self.assertEqual(effective_deadline(D(2022, 3, 31), None), D(2022, 3, 31))
        self.assertIsNone(effective_deadline(None, None))

    def test_a_nodes_date_is_its_extension_or_its_own(self):
        self.assertEqual(effective_due(D(2022, 6, 30), None), D(2022, 6, 30))
        self.assertEqual(effective_due(D(2022, 6, 30), D(2022, 8, 31)), D(2022, 8, 31))

    def test_the_date_in_force_of_a_task_without_deadline_is_the_years_end(self):
        self.assertEqual(current_date(2022, None, None), D(2022, 12, 31))
        self.assertEqual(current_date(2022, None, D(2023, 3, 31)), D(2023, 3, 31))

    def test_the_light_is_judged_on_the_effective_date(self):
        def status(extended):
            start, end = task_span(2022, effective_deadline(D(2022, 3, 31), extended))
            return evaluate(
                as_of=D(2022, 5, 18),
                start=start,
                end=end,
                completion=50.0,
                closed=False,
                periods_since_last_report=0,
                periods_elapsed=20,
            )

        self.assertEqual(status(None), Status.SERIOUSLY_BEHIND)  # past the original date
        self.assertEqual(status(D(2022, 12, 31)), Status.ON_SCHEDULE)

    def test_the_label_shows_both_dates_once_extended(self):
        self.assertEqual(deadline_label(D(2022, 3, 31), None), "2022-03-31")
        self.assertEqual(
            deadline_label(D(2022, 3, 31), D(2022, 9, 30)), "2022-03-31 → 2022-09-30（已延期）"
        )
        self.assertEqual(deadline_label(None, None, 2022), "2022-12-31")
        self.assertEqual(deadline_label(None, None), "—")


class RefusalTests(TestCase):
    def refused(self, requested, reason="资金未到位", year_note="", current=JUNE_END):
        return refusal(
            year=2022, current=current, requested=requested, reason=reason, year_note=year_note
        )

    def test_a_later_date_in_the_year_with_a_reason_is_accepted(self):
        self.assertIsNone(self.refused(D(2022, 7, 1)))

    def test_a_date_not_after_the_current_one_is_refused(self):
        for day in (D(2022, 6, 30), D(2022, 6, 1)):
            field, message = self.refused(day)
            self.assertEqual(field, "requested_date")
            self.assertIn("须晚于现行时限 2022-06-30", message)

    def test_no_date_or_no_reason_is_refused(self):
        self.assertEqual(self.refused(None)[0], "requested_date")
        self.assertEqual(self.refused(D(2022, 8, 1), reason=" \n")[0], "reason")

    def test_beyond_the_plan_year_a_cross_year_note_is_needed(self):
        field, message = self.refused(D(2023, 1, 1))
        self.assertEqual(field, "year_note")
        self.assertIn("已超出 2022 年度", message)
        self.assertIsNone(self.refused(D(2023, 1, 1), year_note="跨年度建设项目"))

    def test_a_date_before_the_plan_year_is_refused_even_after_an_earlier_current_date(self):
        field, message = self.refused(D(2021, 12, 31), current=D(2021, 6, 30))
        self.assertEqual(field, "requested_date")
        self.assertIn("不能早于 2022 年", message)
