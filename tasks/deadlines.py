"""Which date a task (or a node) is judged on: the one rule of deadline extensions (延期).

Pure module: no Django, no database. ``Task.deadline`` keeps the original 完成时限 for good;
``Task.extended_deadline`` is set only when an extension is approved (tasks.extensions). Until
then the task is judged on the original date — a pending application changes nothing, so a
task whose extension is still being reviewed turns red after its original deadline like any
other. A node's date is ``extended_due or due`` in the same way.
"""

from __future__ import annotations

from datetime import date


def effective_deadline(deadline: date | None, extended_deadline: date | None) -> date | None:
    """The deadline a task is judged on: the approved extension, else the original (None: the
    task has none, and tasks.status.task_span takes the plan year's end)."""
    return extended_deadline or deadline


def effective_due(due: date, extended_due: date | None) -> date:
    """The date a node is judged on: its approved extension, else its original date."""
    return extended_due or due


def current_date(year: int, deadline: date | None, extended_deadline: date | None) -> date:
    """The date in force that an extension would replace (the plan year's end when none)."""
    return effective_deadline(deadline, extended_deadline) or date(year, 12, 31)


def refusal(
    *, year: int, current: date, requested: date | None, reason: str, year_note: str
) -> tuple[str, str] | None:
    """Why an application for moving ``current`` to ``requested`` cannot be made, as
    (field, Chinese message), or None when it can. A date beyond the plan year needs a
    跨年度说明 (``year_note``) besides the reason."""
    if requested is None:
        return "requested_date", "请填写申请延期至的日期。"
    if requested <= current:
        return (
            "requested_date",
            f"申请延期至的日期须晚于现行时限 {current:%Y-%m-%d}。",
        )
    if requested.year < year:
        return "requested_date", f"申请延期至的日期不能早于 {year} 年。"
    if not reason.strip():
        return "reason", "请填写延期理由。"
    if requested.year > year and not year_note.strip():
        return (
            "year_note",
            f"申请延期至 {requested:%Y-%m-%d}，已超出 {year} 年度，请填写跨年度说明。",
        )
    return None


def deadline_label(
    deadline: date | None, extended_deadline: date | None, year: int | None = None
) -> str:
    """完成时限 as shown in lists: "2022-06-30", or "2022-06-30 → 2022-09-30（已延期）"; with
    no deadline, the plan year's end when ``year`` is given, else "—"."""
    original = deadline or (date(year, 12, 31) if year else None)
    text = "—" if original is None else f"{original:%Y-%m-%d}"
    if extended_deadline and extended_deadline != original:
        return f"{text} → {extended_deadline:%Y-%m-%d}（已延期）"
    return text
