"""Writing the demo reports: create, update or leave each row, in one transaction."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import clock, revision
from ..models import Indicator, IndicatorValue, Plan, ProgressReport, ReportEvent
from ..periods import Period, plan_periods
from ..progress import task_states
from ..reporting import current_period, snapshot_of
from ..status import Status
from .closure import apply_demo_closure
from .generator import Generator, ReportSpec

DEMO_USERNAME = "demo-data"
DEMO_USER_NAME = "演示数据"

Action = ReportEvent.Action


@dataclass
class DemoResult:
    plan: Plan
    periods: list[Period]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped_real: int = 0
    kept_later: int = 0
    as_of: datetime.date | None = None
    statuses: dict[Status, int] = field(default_factory=dict)


def demo_periods(plan: Plan) -> list[Period]:
    """The plan's periods numbered 1..: the ISO week that belongs to the year before is left out."""
    return [p for p in plan_periods(plan.year, plan.cycle) if p.year >= plan.year]


def default_weeks(plan: Plan, today: datetime.date | None = None) -> int:
    """Through the last period of the plan's year; through the current one in the current year."""
    today = today or clock.today()
    periods = demo_periods(plan)
    if today.year > plan.year:
        return len(periods)
    if today.year < plan.year:
        return 0
    current = current_period(plan, today)
    return next((n for n, p in enumerate(periods, 1) if p == current), len(periods))


def demo_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": DEMO_USER_NAME, "is_active": False}
    )
    if created or user.is_active or user.has_usable_password():
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return user


_COMPARED = (
    "role",
    "period_start",
    "period_end",
    "state",
    "progress",
    "problems",
    "next_steps",
    "percent",
    "is_late",
    "submitted_at",
    "return_reason",
)


def _fields(spec: ReportSpec) -> dict:
    return {
        "role": spec.role,
        "period_start": spec.period.start,
        "period_end": spec.period.end,
        "state": spec.state,
        "progress": spec.progress,
        "problems": spec.problems,
        "next_steps": spec.next_steps,
        "percent": spec.percent,
        "is_late": spec.is_late,
        "submitted_at": spec.submitted_at,
        "return_reason": "",
    }


def _snapshot(spec: ReportSpec, names: dict[int, str]) -> dict:
    """The same snapshot a real submission keeps (reporting.snapshot_of)."""
    return snapshot_of(
        progress=spec.progress,
        problems=spec.problems,
        next_steps=spec.next_steps,
        percent=spec.percent,
        values={names[i]: actual for i, actual in spec.values.items()},
        attachments=[],
        is_late=spec.is_late,
    )


@transaction.atomic
def generate_demo(
    plan: Plan, *, weeks: int | None = None, reset: bool = False, now=None
) -> DemoResult:
    """Write the plan's demo reports for periods 1..weeks, in one transaction."""
    now = now or clock.now()
    periods = demo_periods(plan)
    if weeks is None:
        weeks = default_weeks(plan, timezone.localtime(now).date())
    if not 0 <= weeks <= len(periods):
        raise ValueError(f"{plan.year}年共{len(periods)}期，期数应在 1–{len(periods)} 之间")
    result = DemoResult(plan=plan, periods=periods[:weeks])
    revision.bump()  # bulk_create and update() send no signals
    user = demo_user()
    demo_rows = ProgressReport.objects.filter(task__plan=plan, is_demo=True)
    if reset:
        result.deleted += demo_rows.delete()[1].get(ProgressReport._meta.label, 0)
    if weeks == 0:
        return result

    specs = Generator(plan, periods, weeks, now).generate()
    keys = {p.key for p in periods[:weeks]}
    existing = {
        (r.task_id, r.department_id, r.period_key): r
        for r in ProgressReport.objects.filter(task__plan=plan, period_key__in=keys)
    }
    existing_values: dict[int, dict[int, Decimal]] = {}
    for value in IndicatorValue.objects.filter(
        report__task__plan=plan, report__is_demo=True, report__period_key__in=keys
    ):
        existing_values.setdefault(value.report_id, {})[value.indicator_id] = value.actual

    to_create: list[tuple[ProgressReport, ReportSpec]] = []
    to_update: list[tuple[ProgressReport, ReportSpec]] = []
    wanted = set()
    for spec in specs:
        wanted.add(spec.key)
        report = existing.get(spec.key)
        if report is None:
            report = ProgressReport(
                task_id=spec.task_id,
                department_id=spec.department_id,
                period_key=spec.period.key,
                version=1,
                created_by=user,
                updated_by=user,
                is_demo=True,
                **_fields(spec),
            )
            to_create.append((report, spec))
        elif not report.is_demo:
            result.skipped_real += 1
        elif _unchanged(report, spec, existing_values.get(report.pk, {}), user):
            result.unchanged += 1
        else:
            for name, value in _fields(spec).items():
                setattr(report, name, value)
            report.updated_by = user
            to_update.append((report, spec))

    stale = [r.pk for key, r in existing.items() if r.is_demo and key not in wanted]
    if stale:
        result.deleted += (
            ProgressReport.objects.filter(pk__in=stale)
            .delete()[1]
            .get(ProgressReport._meta.label, 0)
        )
    result.kept_later = demo_rows.exclude(period_key__in=keys).count()

    ProgressReport.objects.bulk_create([r for r, _ in to_create], batch_size=500)
    if to_update:
        ProgressReport.objects.bulk_update(
            [r for r, _ in to_update], [*_COMPARED, "updated_by"], batch_size=500
        )
        updated_ids = [r.pk for r, _ in to_update]
        ReportEvent.objects.filter(report_id__in=updated_ids).delete()
        IndicatorValue.objects.filter(report_id__in=updated_ids).delete()
    result.created, result.updated = len(to_create), len(to_update)
    # Dated as written in the plan year, not today (auto_now fields, hence a separate update).
    demo_rows.filter(period_key__in=keys).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )

    names = dict(Indicator.objects.filter(task__plan=plan).values_list("pk", "name"))
    events, values = [], []
    for report, spec in [*to_create, *to_update]:
        snapshot = _snapshot(spec, names)
        for action, at in spec.events:
            events.append(
                ReportEvent(
                    report_id=report.pk,
                    action=action,
                    actor=user,
                    at=at,
                    snapshot=snapshot if action == Action.SUBMITTED else {},
                )
            )
        for indicator_id, actual in spec.values.items():
            values.append(
                IndicatorValue(report_id=report.pk, indicator_id=indicator_id, actual=actual)
            )
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    IndicatorValue.objects.bulk_create(values, batch_size=1000)

    last = periods[weeks - 1]
    result.as_of = min(last.end, datetime.date(plan.year, 12, 31), timezone.localtime(now).date())
    apply_demo_closure(plan, user, result.as_of)  # task 32 closed at the year's end
    counts = Counter(state.status for state in task_states(plan, result.as_of).values())
    result.statuses = {status: counts.get(status, 0) for status in Status}
    return result


def _unchanged(report: ProgressReport, spec: ReportSpec, values: dict, user) -> bool:
    fields = _fields(spec)
    if any(getattr(report, name) != fields[name] for name in _COMPARED):
        return False
    if report.created_by_id != user.pk or report.updated_by_id != user.pk:
        return False
    return values == spec.values
