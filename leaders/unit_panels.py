"""我的任务's two panels of other people's asks, kept as plain rows: the instructions the unit
must still acknowledge (待阅批示) and its open 需协调事项.

Both are kept in the figures store until the data revision moves (tasks.revision): every
write of a coordination item moves it (tasks.coordination), and so does every saved or
deleted instruction, acknowledgement or item (leaders.receivers). They read no report: kept
under the plans' settled counters (revision.NO_REPORTS), a unit's report of this week keeps
them (the first 我的任务 after another unit's report computed them again: 5 ms). What depends on the day
(an item's 已超期) is worked out per request; links are kept after the script prefix.
"""

import datetime
from dataclasses import dataclass, replace

from django.urls import get_script_prefix

from accounts.roles import person_of
from tasks import clock, revision
from tasks.coordination import is_overdue, open_items_for_unit

from .instructions import pending_for_unit


def _kept(unit) -> dict:
    """Both panels' rows, one figure (one load from the store for the page's two panels)."""
    return revision.memo(
        "unit_panels",
        (unit.pk,),
        lambda: {"pending": _pending(unit), "items": _items(unit)},
        settled=revision.NO_REPORTS,  # no report of an open period moves them
    )


@dataclass(frozen=True)
class PendingRow:
    """An instruction the unit must still acknowledge."""

    pk: int
    task_url: str
    year: int
    number: str
    leader: str
    published_at: datetime.datetime
    url: str
    text: str


def unit_pending_context(user) -> dict:
    """What templates/leaders/_pending_instructions.html needs: the viewer's unit's to-read
    list, newest first (leaders.instructions.pending_for_unit). No query for anyone else."""
    unit = person_of(user).unit
    if unit is None:
        return {"pending_instructions": [], "pending_instructions_unit": None}
    rows = _kept(unit)["pending"]
    prefix = get_script_prefix()
    pending = [replace(r, task_url=prefix + r.task_url, url=prefix + r.url) for r in rows]
    return {"pending_instructions": pending, "pending_instructions_unit": unit}


def _pending(unit) -> list[PendingRow]:
    cut = len(get_script_prefix())
    return [
        PendingRow(
            pk=i.pk,
            task_url=i.task.get_absolute_url()[cut:],
            year=i.task.plan.year,
            number=i.task.number,
            leader=i.leader.name,
            published_at=i.published_at,
            url=i.get_absolute_url()[cut:],
            text=i.text,
        )
        for i in pending_for_unit(unit).select_related("task__plan", "leader")
    ]


@dataclass(frozen=True)
class ItemRow:
    """An open 需协调事项 as the panel shows it (is_active and due: tasks.coordination.is_overdue)."""

    pk: int
    url: str
    department: str
    kind_label: str
    number: str
    state_label: str
    text: str
    due: datetime.date
    is_active: bool


def unit_todo(user) -> dict:
    """我的任务's panel: the open items that name the viewer's unit (to act on) first, then the
    ones it raised (to close when solved), by due date. No query for anyone else."""
    unit = person_of(user).unit
    if unit is None:
        return {"coordination_items": [], "coordination_unit": None}
    rows = _kept(unit)["items"]
    today, prefix = clock.today(), get_script_prefix()
    return {
        "coordination_items": [
            {
                "item": replace(item, url=prefix + item.url),
                "to_act": to_act,
                "overdue": is_overdue(item, today),
            }
            for item, to_act in rows
        ],
        "coordination_unit": unit,
    }


def _items(unit) -> list[tuple[ItemRow, bool]]:
    cut = len(get_script_prefix())
    items = open_items_for_unit(unit).select_related("task__plan", "department")
    rows = [
        (
            ItemRow(
                pk=i.pk,
                url=i.get_absolute_url()[cut:],
                department=i.department.name,
                kind_label=str(i.get_kind_display()),
                number=i.task.number,
                state_label=str(i.get_state_display()),
                text=i.text,
                due=i.due,
                is_active=i.is_active,
            ),
            i.department_id != unit.pk,
        )
        for i in items.order_by("due", "pk")
    ]
    rows.sort(key=lambda r: (not r[1], r[0].due, r[0].pk))
    return rows
