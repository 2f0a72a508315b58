"""Objects the page-walking tests share: a submitted report with evidence, a week's workbook
with its file, a published instruction (on the 2022 plan of tests.base.BaseTestCase)."""

from django.core.files.base import ContentFile

from leaders.models import Instruction
from reports.models import WeeklySnapshot
from reports.rollup import workbook_path
from tasks.models import Attachment, ProgressReport
from tasks.periods import parse_period_key


def submitted_report(case, percent=None) -> ProgressReport:
    """区发展和改革局's submitted week-20 report on task 15 (outside the towns' scope)."""
    return ProgressReport.objects.create(
        task=case.task["15"],
        department=case.drc,
        role="lead",
        period_key="2022-W20",
        period_start="2022-05-16",
        period_end="2022-05-22",
        state="submitted",
        progress="进展",
        percent=percent,
        created_by=case.staff,
        updated_by=case.staff,
    )


def submitted_report_with_evidence(case):
    """submitted_report() with a.pdf."""
    report = submitted_report(case)
    attachment = Attachment(
        report=report,
        original_name="a.pdf",
        size=8,
        content_type="application/pdf",
        uploaded_by=case.staff,
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return report, attachment


def week_19_workbook(plan):
    """The week-19 snapshot with a stand-in file where the download view looks for it."""
    snapshot = WeeklySnapshot.objects.create(
        plan=plan,
        period_key="2022-W19",
        period_label="2022年第19周",
        as_of="2022-05-15",
        generated_at="2022-05-13T18:00:00+08:00",
        file="private/weekly/2022/2022-W19.xlsx",
    )
    target = workbook_path(plan, parse_period_key("2022-W19"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"PK\x03\x04 stand-in workbook")
    return snapshot


def published_instruction(case):
    """张娅's published instruction on task 15."""
    return Instruction.objects.create(
        task=case.task["15"],
        leader=case.zhangya,
        text="抓紧推进",
        state="published",
        published_at="2022-05-17T10:00:00+08:00",
    )


def issued_escalation_notice(case):
    """An issued 黄色督办单 (督办〔2022〕1号) on task 15, led by 区发展和改革局, awaiting its reply."""
    from reports.models import EscalationNotice

    task = case.task["15"]
    return EscalationNotice.objects.create(
        plan=task.plan,
        task=task,
        color="yellow",
        state="issued",
        number=1,
        period_key="2022-W20",
        facts="连续3期滞后（第18周、第19周、第20周）",
        proposed_at="2022-05-20T18:00:00+08:00",
        issued_on="2022-05-20",
        reply_due="2022-05-25",
    )
