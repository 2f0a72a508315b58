"""The weekly roll-up: snapshot, workbook read back, reruns, the command, the pages, the schedule."""

import datetime
import io
import os
import tempfile

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from config.celery import build_beat_schedule
from reports import rollup
from reports.jobs import roll_up_week
from reports.models import ReportJob, SnapshotRow, WeeklySnapshot
from tasks.models import Plan, ProgressReport, Task
from tasks.periods import parse_period_key
from tasks.schedule import parse_weekly_at, roll_up_moment

from .base import BaseTestCase
from .helpers import run

W20 = parse_period_key("2022-W20")
HEADERS = (
    "序号",
    "工作任务",
    "牵头领导",
    "牵头单位",
    "配合单位",
    "本期进展",
    "存在问题",
    "下步打算",
    "完成进度",
    "序时进度",
    "状态",
    "下一节点",
    "上一节点是否按期完成",
    "报送情况",
)


def add_report(
    task,
    unit,
    user,
    *,
    period="2022-W20",
    state="accepted",
    percent=40,
    progress="进展",
    problems="",
    late=False,
    role="lead",
):
    period_obj = parse_period_key(period)
    return ProgressReport.objects.create(
        task=task,
        department=unit,
        role=role,
        period_key=period,
        period_start=period_obj.start,
        period_end=period_obj.end,
        state=state,
        percent=percent,
        progress=progress,
        problems=problems,
        is_late=late,
        created_by=user,
        updated_by=user,
        submitted_at=datetime.datetime(2022, 5, 19, 10, tzinfo=datetime.UTC),
    )


@override_settings(AS_OF_DATE="2022-05-20")
class RollUpTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        t7 = Task.objects.get(plan=cls.plan, number="7")
        add_report(t7, cls.drc, cls.staff, progress='=HYPERLINK("http://x","点我")', percent=45)
        add_report(
            Task.objects.get(plan=cls.plan, number="1"),
            cls.drc,
            cls.staff,
            percent=5,
            problems="土地指标不足",
            late=True,
        )

    def produce(self):
        return rollup.produce(self.plan, W20)

    def sheet_rows(self, name):
        path = rollup.workbook_path(self.plan, W20)
        workbook = load_workbook(path)
        return workbook, workbook[name], list(workbook[name].iter_rows(values_only=True))

    def test_the_snapshot_freezes_every_task(self):
        snapshot = self.produce()
        self.assertEqual(snapshot.rows.count(), 145)  # every task but heading 6
        row = snapshot.rows.get(task__number="7")
        self.assertEqual(row.completion, 45.0)
        self.assertEqual(row.status, "on_schedule")
        self.assertIn("区发展和改革局 已采纳", row.reporting)
        self.assertEqual(snapshot.rows.get(task__number="1").status, "seriously_behind")

    def test_the_workbook_has_title_headers_sections_and_every_task(self):
        self.produce()
        workbook, sheet, rows = self.sheet_rows("总表")
        self.assertEqual(
            workbook.sheetnames,
            [
                "概况",
                "总表",
                "按牵头领导",
                "按单位",
                "未报送",
                "本周变化",
                "待审批申请",
                "需协调事项",
                "进展停滞",
                "单位考核",
            ],
        )
        self.assertEqual(rows[0][0], "2022年区政府工作报告重点工作任务推进情况周报")
        self.assertEqual(rows[1][0], "第20周（5月16日—5月22日）")
        self.assertTrue(str(rows[2][0]).startswith("生成时间："))
        self.assertEqual(tuple(rows[3][: len(HEADERS)]), HEADERS)
        body = rows[4:]
        section_rows = [r[0] for r in body if r[0] and str(r[0])[1:2] == "、"]
        self.assertEqual(len(section_rows), 8)
        self.assertEqual(section_rows[0], "一、主要预期目标")
        numbers = [r[0] for r in body if r[0] and str(r[0])[1:2] != "、"]
        self.assertEqual(len(numbers), 145)  # heading 6 is no task (tasks.reportable)
        self.assertEqual(numbers[:8], ["1", "2", "3", "4", "5", "6(1)", "6(2)", "7"])

    def test_status_cells_are_filled_by_light_and_labelled(self):
        self.produce()
        _, sheet, rows = self.sheet_rows("总表")
        status_col = HEADERS.index("状态") + 1
        fills = {}
        for index, values in enumerate(rows, start=1):
            if values[0] in ("1", "7"):
                cell = sheet.cell(row=index, column=status_col)
                fills[values[0]] = (cell.value, cell.fill.fgColor.rgb[-6:])
        self.assertEqual(fills["7"], ("序时推进", "C6EFCE"))
        self.assertEqual(fills["1"], ("严重滞后", "FFC7CE"))

    def test_it_is_print_ready(self):
        self.produce()
        _, sheet, _ = self.sheet_rows("总表")
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(int(sheet.page_setup.paperSize), 8)  # A3
        self.assertEqual(
            int(sheet.page_setup.fitToWidth or 1), 1
        )  # 1, the default, may be left out
        self.assertTrue(sheet.print_title_rows)
        self.assertIn("&P", sheet.oddFooter.center.text)
        self.assertEqual(sheet.freeze_panes[-1], "5")
        self.assertGreater(sheet.column_dimensions["B"].width, 20)

    def test_typed_text_never_becomes_a_formula(self):
        self.produce()
        path = rollup.workbook_path(self.plan, W20)
        workbook = load_workbook(path)
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", f"{sheet.title}!{cell.coordinate}")
        _, _, rows = self.sheet_rows("总表")
        seven = next(r for r in rows if r[0] == "7")
        self.assertEqual(seven[HEADERS.index("本期进展")], '\'=HYPERLINK("http://x","点我")')

    def test_the_summary_sheets(self):
        self.produce()
        _, _, units = self.sheet_rows("按单位")
        drc = next(r for r in units if r[0] == "区发展和改革局")
        self.assertEqual((drc[1], drc[2]), (16, 10))  # led and cooperated, as in the document
        _, _, missing = self.sheet_rows("未报送")
        self.assertIn("区财政局", [r[0] for r in missing])
        _, _, changes = self.sheet_rows("本周变化")
        self.assertIn("土地指标不足", [r[4] for r in changes if r[0] == "1"])
        _, _, leaders = self.sheet_rows("按牵头领导")
        self.assertIn("张娅", [r[0] for r in leaders])

    def test_a_rerun_replaces_instead_of_duplicating(self):
        first = self.produce()
        second = self.produce()
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(WeeklySnapshot.objects.count(), 1)
        self.assertEqual(SnapshotRow.objects.count(), 145)
        folder = rollup.workbook_path(self.plan, W20).parent
        names = [p.name for p in folder.iterdir()]
        self.assertEqual([n for n in names if "W20" in n], ["2022-W20.xlsx"])
        self.assertEqual([n for n in names if n.startswith(".tmp")], [])  # no half-written file

    def test_the_command_writes_the_same_workbook(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "w20.xlsx")
            text = run("weekly_report", "2022", "--week", "2022-W20", "--out", out)
            self.assertIn("145 项任务", text)
            rows = list(load_workbook(out)["总表"].iter_rows(values_only=True))
            self.assertEqual(rows[0][0], "2022年区政府工作报告重点工作任务推进情况周报")

    def test_the_command_rejects_a_bad_week(self):
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            run("weekly_report", "2022", "--week", "2022-20", "--out", "/tmp/x.xlsx")


@override_settings(AS_OF_DATE="2022-05-20")
class ReportPagesTests(BaseTestCase):
    def test_the_office_generates_watches_and_downloads(self):
        self.client.force_login(self.office)
        plan = Plan.objects.get(year=2022)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(
                reverse("reports:generate"), {"plan": plan.pk, "period": "2022-W20"}
            )
        self.assertEqual(len(callbacks), 1)  # the message is sent only once the job row exists
        job = ReportJob.objects.get()
        self.assertRedirects(response, reverse("reports:job", args=[job.pk]))
        status = self.client.get(reverse("reports:job", args=[job.pk]), {"format": "json"}).json()
        self.assertEqual((status["state"], status["download"]), ("queued", ""))
        roll_up_week.apply(args=[job.pk])  # what the worker does
        status = self.client.get(reverse("reports:job", args=[job.pk]), {"format": "json"}).json()
        self.assertEqual((status["state"], status["progress"]), ("done", 100))
        download = self.client.get(status["download"])
        workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        self.assertEqual(workbook.sheetnames[:2], ["概况", "总表"])
        listing = self.client.get(reverse("reports:list"))
        self.assertContains(listing, "2022年第20周")

    def test_a_failed_job_shows_its_error(self):
        job = ReportJob.objects.create(plan=Plan.objects.get(year=2022), period_key="2022-W99")
        with pytest.raises(ValueError):
            roll_up_week.apply(args=[job.pk], throw=True)
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")
        self.assertIn("ValueError", job.last_error)

    def test_a_done_job_is_not_redone(self):
        job = ReportJob.objects.create(
            plan=Plan.objects.get(year=2022), period_key="2022-W20", state="done"
        )
        self.assertEqual(roll_up_week.apply(args=[job.pk]).get(), "done")
        self.assertFalse(WeeklySnapshot.objects.exists())

    def test_lists_export_as_xlsx_of_what_is_on_screen(self):
        self.client.force_login(self.office)
        response = self.client.get(
            reverse("tasks:list"), {"plan": "2022", "q": "5G", "_export": "xlsx"}
        )
        rows = list(
            load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
                values_only=True
            )
        )
        self.assertEqual(rows[0][0], "2022年任务清单　截至2022年5月20日")
        self.assertEqual(rows[1][:5], ("编号", "工作任务", "状态", "完成时限", "最近报送"))
        self.assertEqual([r[0] for r in rows[2:]], ["32"])


def test_the_schedule_is_built_from_the_environment_value():
    schedule = build_beat_schedule("fri 18:00")
    weekly = schedule["weekly-roll-up"]["schedule"]
    assert weekly.hour == {18} and weekly.minute == {0} and weekly.day_of_week == {5}
    assert "weekly-roll-up-catch-up" in schedule
    assert build_beat_schedule("thu 09:30")["weekly-roll-up"]["schedule"].day_of_week == {4}
    assert build_beat_schedule("disable") == {}
    for bad in ["friday 18:00", "fri 25:00", "0 18 * * 5", ""]:
        with pytest.raises(ValueError):
            parse_weekly_at(bad)


def test_the_roll_up_moment_is_friday_evening_of_the_period():
    moment = roll_up_moment(W20, parse_weekly_at("fri 18:00"))
    assert moment.isoformat() == "2022-05-20T18:00:00+08:00"
