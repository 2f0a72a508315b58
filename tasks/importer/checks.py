"""Checks a parsed plan must pass before the loader writes anything, each refusing with a reason.

- a --year that contradicts the document, or the plan being updated, needs --change-year
  (and is never allowed for a plan that already has reports);
- names longer than their database columns are refused up front, naming the task.
"""

from departments.models import Department
from leaders.models import Leader

from ..models import Plan, Section, Task, TaskUnit
from .parser import ParsedPlan


class ImportRefused(Exception):
    """The document parsed, but loading it would be wrong (e.g. unknown units in strict mode)."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en


def number_order(number: str) -> tuple:
    digits = "".join(c for c in number if c.isdigit()) or "0"
    return (int(digits[:9]), number)


def check_year(parsed: ParsedPlan, year: int | None, slug: str | None, change_year: bool):
    """Refuse a --year that contradicts the document or the plan it would update."""
    if year is None:
        return
    if parsed.year and parsed.year != year and not change_year:
        raise ImportRefused(
            f"文件标明的年度是 {parsed.year} 年，与指定的 --year {year} 不一致，未写入任何内容。"
            f"如确需按 {year} 年导入，请加 --change-year。",
            f"--year {year} contradicts the document's year {parsed.year}",
        )
    plan = Plan.objects.filter(slug=slug).first() if slug else None
    if plan is None or plan.year == year:
        return
    has_reports = plan.tasks.filter(reports__isnull=False).exists()
    if has_reports or not change_year:
        reason = (
            "该方案已有单位填报的进展，不能改变年度"
            if has_reports
            else f"如确需把该方案改为 {year} 年，请加 --change-year"
        )
        raise ImportRefused(
            f"方案 {plan.slug} 是 {plan.year} 年的方案，与指定的年度 {year} 不一致：{reason}；"
            "未写入任何内容。",
            f"--year {year} contradicts plan {plan.slug} of {plan.year}",
        )


def _column(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def check_lengths(parsed: ParsedPlan):
    """Names longer than their database columns are refused up front, naming the task."""
    problems = []
    if len(parsed.title) > _column(Plan, "title"):
        problems.append(f"方案标题过长（{len(parsed.title)} 字）")
    if len(parsed.doc_number) > _column(Plan, "doc_number"):
        problems.append(f"文号过长（{len(parsed.doc_number)} 字）")
    for section in parsed.sections:
        if len(section.number) > _column(Section, "number") or len(section.title) > _column(
            Section, "title"
        ):
            problems.append(f"第 {section.line} 行的部分标题过长")
    unit_limit = min(_column(TaskUnit, "written_name"), _column(Department, "name"))
    for task in parsed.tasks:
        if len(task.number) > _column(Task, "number"):
            problems.append(f"第 {task.line} 行的任务编号过长")
        for name in task.lead_leaders:
            if len(name) > _column(Leader, "name"):
                problems.append(f"任务 {task.number}：领导姓名“{name[:20]}…”过长（{len(name)} 字）")
        for name in (*task.lead_units, *task.cooperating_units):
            if len(name) > unit_limit:
                problems.append(
                    f"任务 {task.number}：单位名称“{name[:20]}…”过长"
                    f"（{len(name)} 字，最多 {unit_limit} 字）"
                )
    if problems:
        raise ImportRefused(
            "以下内容超出长度限制，未写入任何内容：" + "；".join(problems[:20]) + "。",
            f"{len(problems)} values longer than their columns",
        )
