"""A 黄色/红色督办单 printed as a one-page Word document (common.docx.Notice)."""

from django.conf import settings

from common.docx import Notice, notice_bytes
from tasks.export import responsibility_names, tasks_with_responsibilities

from .models import EscalationNotice

# The task, the facts and the reply are cut here (the full texts are on the notice's page), so
# that the notice stays one page whatever was typed (checked in LibreOffice at the worst case).
TEXT_LIMIT = 120
REPLY_LIMIT = 150


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _cut(text: str, limit: int = TEXT_LIMIT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _cut_lines(text: str, lines: int = 3) -> str:
    """At most `lines` facts of at most 80 characters each (the full text is on the page)."""
    return "\n".join(_cut(line, 70) for line in (text or "").splitlines()[:lines])


def escalation_notice(notice: EscalationNotice) -> Notice:
    task = tasks_with_responsibilities(notice.plan).get(pk=notice.task_id)
    leaders, lead_units, cooperating = responsibility_names(task)
    reply = _cut(notice.measures, REPLY_LIMIT) if notice.measures else "（尚未回复）"
    if notice.replied_at:
        reply = f"{reply}（{_date(notice.replied_at.date())}回复）"
    fields = [
        ("督办任务", _cut(f"{task.number}. {task.text}")),
        ("牵头领导", "、".join(leaders) or "—"),
        ("牵头单位", "、".join(lead_units) or "—"),
        ("配合单位", _cut("、".join(cooperating), 60) or "—"),
        ("督办事由", _cut_lines(notice.facts)),
        ("回复期限", _date(notice.reply_due)),
        ("整改措施", reply),
        ("抄送", notice.copy_to or "—"),
    ]
    return Notice(
        title=notice.get_color_display(),
        number_line=notice.number_text or "（待确认，未编号）",
        fields=fields,
        sections=[
            (
                "办理要求",
                f"请牵头单位于{_date(notice.reply_due)}前在系统中回复整改措施，"
                "明确责任人和完成时限，按期报送进展。",
            ),
        ],
        issuer=settings.BULLETIN_ISSUER,
        date_text=_date(notice.issued_on),
        red=notice.color == EscalationNotice.Color.RED,
    )


def notice_document(notice: EscalationNotice) -> bytes:
    return notice_bytes(escalation_notice(notice))


def filename(notice: EscalationNotice) -> str:
    number = f"{notice.plan.year}-{notice.number}" if notice.number else f"待确认-{notice.pk}"
    return f"{notice.get_color_display()}-{number}-任务{notice.task.number}.docx"
