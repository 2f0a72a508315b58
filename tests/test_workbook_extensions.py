"""The weekly workbook shows deadlines and pending applications: 总表 gets 完成时限 and
延期后时限, the sheet 待审批申请 lists the applications still waiting at the snapshot."""

import datetime

from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from reports import rollup
from reports.workbook_applications import NOTHING_PENDING, from_summary, pending_rows
from tasks.models import ExtensionApplication, Plan, Task
from tasks.periods import parse_period_key

from .base import BaseTestCase

W20 = parse_period_key("2022-W20")
D = datetime.date


def application(task, unit, user, state, applied):
    return ExtensionApplication.objects.create(
        task=task,
        unit=unit,
        applicant=user,
        applied_at=timezone.make_aware(datetime.datetime.fromisoformat(applied)),
        reason="资金未到位",
        original_date=D(2022, 6, 30),
        requested_date=D(2022, 9, 30),
        state=state,
    )


@override_settings(AS_OF_DATE="2022-05-25")
class WorkbookExtensionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        Task.objects.filter(plan=cls.plan, number="3").update(
            deadline=D(2022, 6, 30), extended_deadline=D(2022, 9, 30)
        )
        Task.objects.filter(plan=cls.plan, number="5").update(deadline=D(2022, 6, 30))
        task5 = Task.objects.get(plan=cls.plan, number="5")
        cls.pending = application(task5, cls.drc, cls.staff, "pending_office", "2022-05-10 09:00")
        task7 = Task.objects.get(plan=cls.plan, number="7")
        application(task7, cls.drc, cls.staff, "refused", "2022-05-09 09:00")  # not listed
        # Applied after the week's end: not in that week's workbook.
        task8 = Task.objects.get(plan=cls.plan, number="8")
        application(task8, cls.drc, cls.staff, "pending_unit", "2022-05-30 09:00")

    def rows(self, name):
        rollup.produce(self.plan, W20)
        book = load_workbook(rollup.workbook_path(self.plan, W20))
        return list(book[name].iter_rows(values_only=True))

    def test_the_main_sheet_shows_the_original_and_the_approved_deadline(self):
        rows = self.rows("总表")
        at = rows[3].index("完成时限")  # the last two columns of 总表
        self.assertEqual(rows[3][at : at + 2], ("完成时限", "延期后时限"))
        by_number = {r[0]: r for r in rows[4:]}
        self.assertEqual(by_number["3"][at : at + 2], ("2022-06-30", "2022-09-30"))
        self.assertEqual(by_number["5"][at : at + 2], ("2022-06-30", "—"))  # pending: not in force
        self.assertEqual(by_number["7"][at : at + 2], ("2022-12-31", "—"))  # none: the year's end

    def test_pending_applications_of_the_week_are_listed_with_their_step_and_age(self):
        rows = self.rows("待审批申请")
        self.assertEqual(rows[0][:3], ("类别", "序号", "工作任务"))
        self.assertEqual(len(rows), 2)
        kind, number, _, unit, subject, reason, applied, step, days = rows[1]
        self.assertEqual((kind, number, unit), ("延期申请", "5", "区发展和改革局"))
        self.assertEqual(subject, "完成时限 2022-06-30 → 2022-09-30")
        self.assertEqual(
            (reason, applied, step, days), ("资金未到位", "2022-05-10", "待督查室审核", 12)
        )

    def test_a_week_without_pending_applications_says_so(self):
        ExtensionApplication.objects.filter(pk=self.pending.pk).update(state="approved")
        rows = self.rows("待审批申请")
        self.assertEqual(rows[1][0], NOTHING_PENDING)

    def test_the_rows_other_kinds_add_take_the_same_shape(self):
        rows = pending_rows(self.plan, D(2022, 5, 22))
        self.assertEqual([r["number"] for r in rows], ["5"])
        again = from_summary({"applications": rows})
        self.assertEqual(again[0].step, "待督查室审核")
        self.assertEqual(from_summary({}), [])  # a snapshot from before the sheet
