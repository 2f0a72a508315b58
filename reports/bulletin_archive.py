"""Issued bulletins: numbering, the issue itself, drafts from the roll-up, and the archived file.

Issuing creates the Bulletin row with its number and a ReportJob of kind "bulletin" in one
transaction; the job (reports.jobs.write_bulletin) writes the file after the commit. A number
is used once per plan (第N期, the plan is one year); issuing again for a period makes a new
bulletin with the next number and keeps the earlier one.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tasks import clock
from tasks.models import Plan

from .bulletin import DEFAULT_REQUIREMENTS, BulletinContent, BulletinPeriod, build_content
from .bulletin_doc import write_bulletin
from .models import Bulletin, ReportJob

MAX_REQUIREMENTS = 5000
MAX_LINE = 500
MAX_NUMBER = 9999


class IssueError(Exception):
    """A refused issue, with a message for the office."""


@dataclass(frozen=True)
class IssueForm:
    """What the office may change before issuing (validated by clean_issue_form)."""

    number: int
    requirements: str
    copy_to: str
    send_to: str


def next_number(plan: Plan) -> int:
    return (Bulletin.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1


def clean_issue_form(plan: Plan, data) -> IssueForm:
    """The issue form's values, or IssueError naming what is wrong."""
    raw = (data.get("number") or "").strip()
    if not raw:
        number = next_number(plan)
    elif len(raw) > 4 or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_NUMBER:
        raise IssueError(f"期号应为 1 到 {MAX_NUMBER} 之间的整数")
    else:
        number = int(raw)
    requirements = (data.get("requirements") or "").replace("\r\n", "\n").strip()
    if len(requirements) > MAX_REQUIREMENTS:
        raise IssueError(f"下步要求不能超过 {MAX_REQUIREMENTS} 字")
    lines = {}
    for name, label in (("copy_to", "抄送"), ("send_to", "报送")):
        value = " ".join((data.get(name) or "").split())
        if len(value) > MAX_LINE:
            raise IssueError(f"{label}不能超过 {MAX_LINE} 字")
        lines[name] = value
    if "\x00" in requirements + lines["copy_to"] + lines["send_to"]:
        raise IssueError("内容含有不可见的控制字符")
    return IssueForm(number=number, requirements=requirements, **lines)


def default_form(plan: Plan, draft: Bulletin | None = None) -> IssueForm:
    return IssueForm(
        number=next_number(plan),
        requirements=draft.requirements if draft and draft.requirements else DEFAULT_REQUIREMENTS,
        copy_to=draft.copy_to if draft and draft.copy_to else settings.BULLETIN_COPY_TO,
        send_to=draft.send_to if draft and draft.send_to else settings.BULLETIN_SEND_TO,
    )


def content_for(
    plan: Plan,
    period: BulletinPeriod,
    form: IssueForm,
    *,
    issued_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> BulletinContent:
    return build_content(
        plan,
        period,
        masthead=settings.BULLETIN_MASTHEAD,
        issuer=settings.BULLETIN_ISSUER,
        number=form.number,
        issued_on=issued_on or clock.today(),
        requirements=form.requirements,
        copy_to=form.copy_to,
        send_to=form.send_to,
        today=today,
    )


def issued_for(plan: Plan, period: BulletinPeriod):
    return Bulletin.objects.filter(
        plan=plan, kind=period.kind, period_key=period.key, state=Bulletin.State.ISSUED
    ).order_by("number")


def issue(plan: Plan, period: BulletinPeriod, form: IssueForm, user, token: str) -> ReportJob:
    """Number the bulletin and queue the job that writes it; the same token finds the first.

    The draft of the period, if the roll-up prepared one, becomes the issued bulletin.
    """
    from . import jobs  # jobs imports this module's write_file

    existing = Bulletin.objects.filter(token=token).first() if token else None
    if existing is not None:
        return existing.jobs.order_by("-pk").first()
    try:
        with transaction.atomic():
            draft = (
                Bulletin.objects.select_for_update()
                .filter(plan=plan, kind=period.kind, period_key=period.key)
                .filter(state=Bulletin.State.DRAFT)
                .first()
            )
            bulletin = draft or Bulletin(plan=plan, kind=period.kind, period_key=period.key)
            bulletin.period_label = period.label
            bulletin.state = Bulletin.State.ISSUED
            bulletin.number = form.number
            bulletin.requirements = form.requirements
            bulletin.copy_to, bulletin.send_to = form.copy_to, form.send_to
            bulletin.issued_at, bulletin.issued_by = clock.now(), user
            bulletin.token = token or None
            bulletin.save()
            job = jobs.request_bulletin(bulletin, user)
    except IntegrityError:
        if token and (existing := Bulletin.objects.filter(token=token).first()):
            return existing.jobs.order_by("-pk").first()  # the other click won the race
        raise IssueError(f"第{form.number}期已被使用，请换一个期号") from None
    return job


def prepare_draft(plan: Plan, period: BulletinPeriod) -> Bulletin | None:
    """The roll-up's draft for the office to review; never issued by a job. Once per period."""
    if not settings.BULLETIN_DRAFT_AFTER_ROLLUP:
        return None
    if issued_for(plan, period).exists():
        return None
    try:
        with transaction.atomic():
            draft, _ = Bulletin.objects.get_or_create(
                plan=plan,
                kind=period.kind,
                period_key=period.key,
                state=Bulletin.State.DRAFT,
                defaults={"period_label": period.label},
            )
    except IntegrityError:  # a concurrent firing made it
        draft = Bulletin.objects.filter(
            plan=plan, kind=period.kind, period_key=period.key, state=Bulletin.State.DRAFT
        ).first()
    return draft


def bulletin_path(bulletin: Bulletin) -> Path:
    return (
        Path(settings.MEDIA_ROOT)
        / "private"
        / "bulletins"
        / bulletin.plan.slug
        / f"{bulletin.number:04d}-{bulletin.period_key}.docx"
    )


def write_file(bulletin: Bulletin, period: BulletinPeriod, on_progress=None) -> Path:
    """Write the issued bulletin's document (temp file, then moved into place)."""
    report = on_progress or (lambda percent: None)
    form = IssueForm(
        number=bulletin.number,
        requirements=bulletin.requirements,
        copy_to=bulletin.copy_to,
        send_to=bulletin.send_to,
    )
    issued_on = (
        timezone.localtime(bulletin.issued_at).date() if bulletin.issued_at else clock.today()
    )
    content = content_for(bulletin.plan, period, form, issued_on=issued_on)
    report(60)
    target = bulletin_path(bulletin)
    write_bulletin(content, target)
    report(95)
    bulletin.file = str(target.relative_to(settings.MEDIA_ROOT))
    bulletin.summary = content.summary
    bulletin.save(update_fields=["file", "summary"])
    return target


def download_name(bulletin: Bulletin) -> str:
    return f"{bulletin.plan.year}年督查通报第{bulletin.number}期-{bulletin.period_key}.docx"
