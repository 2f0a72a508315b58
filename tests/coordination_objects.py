"""需协调事项 the coordination tests share (on the 2022 plan of tests.base.BaseTestCase)."""

import datetime

from django.utils import timezone

from leaders.models import CoordinationItem
from tasks.models import ProgressReport

Kind, State = CoordinationItem.Kind, CoordinationItem.State


def report(case, task, unit, *, key="2022-W20", start="2022-05-16", end="2022-05-22", **fields):
    fields.setdefault("state", "submitted")
    fields.setdefault("progress", "进展")
    return ProgressReport.objects.create(
        task=task,
        department=unit,
        role=fields.pop("role", "lead"),
        period_key=key,
        period_start=start,
        period_end=end,
        created_by=case.staff,
        updated_by=case.staff,
        **fields,
    )


def item(case, task, unit, *, kind=Kind.LEADER, leaders=(), units=(), state=State.OPEN, **fields):
    made = CoordinationItem.objects.create(
        task=task,
        department=unit,
        period_key="2022-W20",
        text=fields.pop("text", "用地指标不足，需协调自然资源部门"),
        kind=kind,
        due=fields.pop("due", datetime.date(2022, 5, 31)),
        state=state,
        created_at=fields.pop("created_at", timezone.make_aware(datetime.datetime(2022, 5, 17, 9))),
        created_by=case.staff,
        **fields,
    )
    made.leaders.set(leaders)
    made.units.set(units)
    return made
