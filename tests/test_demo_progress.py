"""Demo progress reports (tasks/demo.py, manage.py demo_progress)."""

import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from tasks.demo import DEMO_USERNAME, REAL_FIGURES, generate_demo
from tasks.models import Indicator, Plan, ProgressReport, ReportEvent, Task, TaskUnit
from tasks.periods import Period
from tasks.reportable import reportable
from tasks.reporting import _snapshot, plan_due_at
from tasks.status import Status

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
# A day long after the plan year, so that nothing is clipped to "now".
LATER = datetime.datetime(2023, 6, 1, 10, 0, tzinfo=TZ)


def _rows():
    return {
        (r.task_id, r.department_id, r.period_key): (
            r.state,
            r.progress,
            r.problems,
            r.next_steps,
            r.percent,
            r.is_late,
            r.submitted_at,
        )
        for r in ProgressReport.objects.all()
    }


class DemoProgressTests(TestCase):
    fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))

    @classmethod
    def setUpTestData(cls):
        cls.plan = Plan.objects.by_key("2022")
        cls.task32 = Task.objects.get(plan=cls.plan, number="32")
        cls.lead32 = TaskUnit.objects.get(task=cls.task32, role="lead").department

    def run_demo(self, weeks=10, **kwargs):
        return generate_demo(self.plan, weeks=weeks, now=LATER, **kwargs)

    def real_report(self, period_key="2022-W05", text="正式填报的内容"):
        period = Period("weekly", 2022, int(period_key[-2:]))
        user = get_user_model().objects.create_user("reporter")
        return ProgressReport.objects.create(
            task=self.task32,
            department=self.lead32,
            role="lead",
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            state="submitted",
            progress=text,
            percent=Decimal("12.0"),
            created_by=user,
            updated_by=user,
        )

    def test_writes_demo_reports_of_lead_units_for_weeks_1_to_10(self):
        result = self.run_demo()
        reports = ProgressReport.objects.all()
        self.assertGreater(result.created, 1000)
        self.assertEqual(reports.count(), result.created)
        self.assertFalse(reports.filter(is_demo=False).exists())
        keys = {f"2022-W{n:02d}" for n in range(1, 11)}
        self.assertEqual(set(reports.values_list("period_key", flat=True)), keys)
        user = get_user_model().objects.get(username=DEMO_USERNAME)
        self.assertFalse(user.is_active)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(set(reports.values_list("created_by", flat=True)), {user.pk})
        # Every task with a lead department reports through its lead units in week 1.
        leads = set(
            TaskUnit.objects.filter(
                task__plan=self.plan, role="lead", department__isnull=False
            ).values_list("task_id", "department_id")
        )
        week1 = set(
            reports.filter(period_key="2022-W01", role="lead").values_list(
                "task_id", "department_id"
            )
        )
        self.assertEqual(week1, leads)
        # Cooperating departments report for some tasks, never a group, never a lead twice.
        cooperating = reports.filter(role="cooperating", period_key="2022-W01")
        self.assertTrue(8 <= cooperating.count() <= 20, cooperating.count())
        for report in cooperating:
            self.assertTrue(
                TaskUnit.objects.filter(
                    task_id=report.task_id, role="cooperating", department_id=report.department_id
                ).exists()
            )
            self.assertIsNone(report.percent)

    def test_states_events_and_snapshots_follow_the_workflow(self):
        self.run_demo()
        reports = ProgressReport.objects.all()
        self.assertEqual(
            set(reports.filter(period_key__lte="2022-W08").values_list("state", flat=True)),
            {"accepted"},
        )
        self.assertTrue(reports.filter(period_key="2022-W10", state="submitted").exists())
        self.assertTrue(reports.filter(period_key="2022-W10", state="approved").exists())
        self.assertTrue(reports.filter(is_late=True).exists())
        for report in reports.order_by("pk")[::37]:
            due = plan_due_at(self.plan, Period("weekly", 2022, int(report.period_key[-2:])))
            self.assertEqual(report.is_late, report.submitted_at > due)
            events = list(report.events.order_by("at", "pk"))
            self.assertEqual(events[0].action, "submitted")
            self.assertEqual(events[0].at, report.submitted_at)
            self.assertEqual(events[0].snapshot, _snapshot(report))
            actions = [e.action for e in events]
            self.assertEqual("accepted" in actions, report.state == "accepted")
            self.assertEqual(
                actions[-1] if len(actions) > 1 else "submitted",
                {"accepted": "accepted", "approved": "approved", "submitted": "submitted"}[
                    report.state
                ],
            )
            self.assertTrue(report.progress)
        # The text comes from the task itself, and is Chinese.
        report = reports.filter(task=self.task32, period_key="2022-W03").first()
        self.assertIn("5G基站", report.progress)
        self.assertIn("累计完成年度任务的", report.progress)

    def test_rerun_is_idempotent(self):
        first = self.run_demo()
        before = _rows()
        events = ReportEvent.objects.count()
        second = self.run_demo()
        self.assertEqual((second.created, second.updated, second.deleted), (0, 0, 0))
        self.assertEqual(second.unchanged, first.created)
        self.assertEqual(_rows(), before)
        self.assertEqual(ReportEvent.objects.count(), events)
        self.assertEqual(second.statuses, first.statuses)

    def test_reset_removes_only_demo_reports(self):
        real = self.real_report()
        first = self.run_demo()
        self.assertEqual(first.skipped_real, 1)
        # A demo report outside the weeks being written is kept without --reset …
        stray = ProgressReport.objects.filter(is_demo=True).first()
        stray.pk, stray.period_key = None, "2022-W30"
        stray.save()
        self.assertEqual(self.run_demo().kept_later, 1)
        # … and --reset removes it and every other demo row, then writes them again.
        again = self.run_demo(reset=True)
        self.assertEqual(again.deleted, first.created + 1)
        self.assertEqual(again.created, first.created)
        self.assertFalse(ProgressReport.objects.filter(period_key="2022-W30").exists())
        real.refresh_from_db()
        self.assertFalse(real.is_demo)
        self.assertEqual(real.progress, "正式填报的内容")
        self.assertEqual(ProgressReport.objects.filter(is_demo=False).count(), 1)

    def test_a_real_report_is_never_overwritten(self):
        self.run_demo()
        demo = ProgressReport.objects.get(
            task=self.task32, department=self.lead32, period_key="2022-W05"
        )
        demo.delete()
        real = self.real_report()
        result = self.run_demo()
        self.assertEqual(result.skipped_real, 1)
        self.assertEqual(result.created, 0)
        real.refresh_from_db()
        self.assertEqual(real.progress, "正式填报的内容")
        self.assertEqual(real.state, "submitted")
        self.assertFalse(real.is_demo)
        self.assertFalse(real.events.exists())

    def test_statuses_at_week_10_are_mixed_and_deterministic(self):
        result = self.run_demo()
        lights = {status: n for status, n in result.statuses.items() if n}
        green = result.statuses[Status.ON_SCHEDULE] + result.statuses[Status.DONE]
        lagging = (
            result.statuses[Status.BEHIND]
            + result.statuses[Status.SERIOUSLY_BEHIND]
            + result.statuses[Status.NOT_REPORTED]
        )
        self.assertGreater(green, 0, lights)
        self.assertGreater(lagging, 0, lights)
        self.assertGreater(result.statuses[Status.BEHIND], 0, lights)
        # Every task somebody reports on (heading 6 has no state: tasks.reportable).
        self.assertEqual(
            sum(result.statuses.values()), reportable(Task.objects.filter(plan=self.plan)).count()
        )
        self.assertEqual(result.as_of, datetime.date(2022, 3, 13))
        texts = _rows()
        again = self.run_demo(reset=True)
        self.assertEqual(again.statuses, result.statuses)
        self.assertEqual(sorted(map(str, _rows().values())), sorted(map(str, texts.values())))

    def test_full_year_reaches_the_published_figures(self):
        # Task 7's investment target is in its text (完成年度投资 195 亿元), task 32 states no
        # number: give it the indicator the office would add. Works with or without fixture ones.
        task7 = Task.objects.get(plan=self.plan, number="7")
        investment, _ = Indicator.objects.get_or_create(
            task=task7,
            name="年度投资",
            defaults={"comparator": ">=", "target": 195, "unit": "亿元"},
        )
        stations = Indicator.objects.create(
            task=self.task32, name="新建5G基站", comparator=">=", target=500, unit="个"
        )
        result = self.run_demo(weeks=52)

        last32 = ProgressReport.objects.filter(task=self.task32, role="lead").order_by(
            "-period_start"
        )[0]
        # "新建5G基站590个，累计达到1632个，已提前完成全年建站任务" (1—10月): done in week 44.
        self.assertEqual(last32.period_key, "2022-W44")
        self.assertEqual(last32.values.get(indicator=stations).actual, Decimal(590))
        self.assertIn("新建5G基站590个，累计达到1632个", last32.progress)
        self.assertEqual((last32.state, last32.percent), ("accepted", Decimal("100.0")))
        earlier = last32.__class__.objects.get(
            task=self.task32, department=self.lead32, period_key="2022-W20"
        )
        self.assertLess(earlier.values.get(indicator=stations).actual, 590)

        last7 = ProgressReport.objects.get(task=task7, role="lead", period_key="2022-W52")
        self.assertEqual(last7.values.get(indicator=investment).actual, Decimal("200.87"))
        self.assertIn("累计完成投资200.87亿元", last7.progress)

        self.assertEqual(result.as_of, datetime.date(2022, 12, 31))
        self.assertGreater(result.statuses[Status.DONE], 0)
        self.assertGreater(result.statuses[Status.SERIOUSLY_BEHIND], 0)
        self.assertGreater(result.statuses[Status.NOT_REPORTED], 0)
        self.assertGreater(result.statuses[Status.ON_SCHEDULE], 90)
        self.assertEqual(result.statuses[Status.NOT_STARTED], 0)

    def test_fixed_points_of_the_2022_demo_follow_from_the_data_files_and_the_generator(self):
        # Reports as `manage.py setup` wrote them before the figures and phrases moved to
        # fixtures/demo/ (bin/dump-demo): a change to either data file or to the generator
        # that changes the demo shows here.
        self.run_demo(weeks=20)

        def report(number, period_key, role="lead"):
            return ProgressReport.objects.get(
                task__plan=self.plan, task__number=number, period_key=period_key, role=role
            )

        r32 = report("32", "2022-W10")
        self.assertEqual(
            (r32.department.name, r32.state, r32.percent, r32.problems),
            ("区工业和信息化局", "accepted", Decimal("28.4"), ""),
        )
        self.assertEqual(
            r32.progress,
            "围绕“加快5G基站及应用示范建设”，本周组织相关科室和镇街召开推进会，对重点环节再部署、"
            "再落实；向分管区领导专题汇报工作进展，按要求调整完善推进措施。截至3月10日，新建5G基站"
            "134个，累计达到1176个。截至目前，累计完成年度任务的28.4%。",
        )
        self.assertEqual(r32.submitted_at, datetime.datetime(2022, 3, 10, 3, 25, 46, tzinfo=UTC))

        r7 = report("7", "2022-W18")
        self.assertIn(
            "截至5月5日，96个实施类重点项目已开工复工55个，累计完成投资75.18亿元。", r7.progress
        )
        self.assertEqual(r7.percent, Decimal("34.9"))
        self.assertEqual(
            sorted((v.indicator.name, v.actual) for v in r7.values.all()),
            [("年度投资", Decimal("75.18")), ("重点项目", Decimal(55))],
        )

        r49 = report("49", "2022-W15")
        self.assertIn("截至4月14日，新增市场主体7960户。", r49.progress)
        self.assertEqual(r49.problems, "受疫情影响，部分外地人员和物资进场受限，现场走访有所减少。")
        self.assertEqual(
            r49.next_steps,
            "下步将围绕“推进‘15分钟政务服务圈’全覆盖”，继续加大推进力度，确保按序时进度完成年度任务；"
            "加强与配合单位的协调联动，形成工作合力。",
        )

        r37 = report("37", "2022-W05", role="cooperating")
        self.assertEqual(
            (r37.department.name, r37.problems, r37.next_steps),
            (
                "区经济合作发展中心",
                "部分前期手续涉及上级审批，办理周期较长。",
                "按照职责分工抓好配合事项落实。",
            ),
        )
        self.assertTrue(
            r37.progress.startswith("配合区商务和投资促进局推进“充分释放香江电商科创中心")
        )

    def test_the_figures_data_file_is_what_the_generator_reads(self):
        data = json.loads((ROOT / "fixtures" / "demo" / "figures-2022.json").read_text("utf-8"))
        self.assertEqual([record["task"] for record in data["figures"]], list(REAL_FIGURES))
        self.assertEqual(REAL_FIGURES["32"].values, (("0", "590"), ("1042", "1632")))
        self.assertEqual(REAL_FIGURES["32"].as_of, datetime.date(2022, 10, 31))
        self.assertTrue(REAL_FIGURES["32"].finished)

    def test_every_real_figure_quotes_its_source(self):
        source = ROOT.parent / "shared" / "seeds" / "003_0246da1f8c24bbdc.txt"
        text = source.read_text(encoding="utf-8") if source.exists() else None
        for number, figure in REAL_FIGURES.items():
            task = Task.objects.get(plan=self.plan, number=number)
            self.assertIn(figure.keyword, task.text.replace(" ", ""), number)
            for _, final in figure.values:
                self.assertIn(final, figure.source, number)
            if text is not None:
                for piece in figure.source.split("…"):
                    self.assertIn(piece.strip("。"), text, number)

    def test_command_prints_a_chinese_summary(self):
        out = StringIO()
        call_command("demo_progress", "--plan", "2022", "--weeks", "3", stdout=out)
        output = out.getvalue()
        self.assertIn("新建", output)
        self.assertIn("2022年第3周", output)
        self.assertIn("序时推进", output)
        self.assertTrue(ProgressReport.objects.filter(is_demo=True, period_key="2022-W03").exists())
        self.assertFalse(ProgressReport.objects.filter(period_key="2022-W04").exists())
