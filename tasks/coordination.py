"""需协调事项: who sees and does what with a coordination item, and every write (one place).

An item opens when a unit submits a report whose 存在问题 carries an ask (需领导协调 / 需部门协调,
kept on the report while it is a draft): in the submission's transaction, once per report
(a report returned and submitted again updates its item while nobody has acted on it yet).

Who must act: the task's lead leaders (需领导协调) or the named units (需部门协调). A leader
answers with a 批示 linked to the item; a named unit (or the office) replies in writing. Either
moves the item to 协调中. The raising unit or the office closes it (已解决 / 无法解决, a note
required) and may reopen a closed one (a reason required). Every step is recorded in the
task's audit trail (tasks.audit, kind "coordination.*") and moves the data revision (unit
scores count overdue items).

Scopes: the office and leaders read every item; a unit reads the items on tasks it reads and
the items that name it. Out of scope: not found.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from accounts.roles import person_of
from departments.models import Department
from leaders.models import CoordinationItem, Leader

from . import audit, clock, revision
from .access import tasks_visible_to
from .models import TaskLeader
from .signals import coordination_changed

Item = CoordinationItem
State = CoordinationItem.State
Kind = CoordinationItem.Kind
MAX_NOTE = 2000
MAX_UNITS = 20


class CoordinationError(Exception):
    """A refused step, with a message in Chinese for the person who tried it."""


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday to Friday) after `start`; public holidays are not known."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def default_due(today: datetime.date) -> datetime.date:
    return add_working_days(today, settings.COORDINATION_DUE_WORKING_DAYS)


# --- the ask on a report -------------------------------------------------------------------


def clean_ask(kind: str, unit_ids, own_unit_id: int | None) -> dict:
    """The ask as a report keeps it; {} for none. Unknown kinds and units are refused."""
    if not kind:
        return {}
    if kind not in Kind.values:
        raise CoordinationError("协调类型不正确。")
    ids = sorted({int(i) for i in unit_ids} - {own_unit_id})
    if kind == Kind.DEPARTMENT:
        if not ids:
            raise CoordinationError("需部门协调时请选择需要协调的单位。")
        if len(ids) > MAX_UNITS:
            raise CoordinationError(f"最多选择 {MAX_UNITS} 个单位。")
        if Department.objects.filter(pk__in=ids).count() != len(ids):
            raise CoordinationError("选择的单位不存在。")
        return {"kind": kind, "units": ids}
    return {"kind": kind, "units": []}


def open_from_report(report, user) -> CoordinationItem | None:
    """Called by tasks.reporting inside the submission's transaction."""
    ask = report.coordination_ask or {}
    if not ask.get("kind") or not report.problems.strip():
        return None
    item = Item.objects.select_for_update().filter(report=report).first()
    if item is not None and item.state != State.OPEN:
        return item  # someone acted on it: the item goes its own way now
    created = item is None
    if created:
        item = Item(
            task=report.task,
            department=report.department,
            report=report,
            created_at=clock.now(),
            created_by=user,
            due=default_due(clock.today()),
        )
    # A unit does not coordinate with itself; naming only itself leaves the ask to the leaders.
    units = [pk for pk in ask.get("units", []) if pk != report.department_id]
    item.period_key = report.period_key
    item.text = report.problems.strip()
    item.kind = Kind.DEPARTMENT if ask["kind"] == Kind.DEPARTMENT and units else Kind.LEADER
    item.save()
    leaders = [] if item.kind == Kind.DEPARTMENT else _lead_leaders(report.task_id)
    item.leaders.set(leaders)
    item.units.set(units if item.kind == Kind.DEPARTMENT else [])
    audit.record(
        report.task,
        "coordination.opened" if created else "coordination.updated",
        actor=user,
        summary=f"{report.department.name}提出{item.get_kind_display()}：{_short(item.text)}",
        changes={"协调时限": (None, item.due)} if created else None,
        obj=item,
    )
    _changed(item, "opened")
    return item


def _lead_leaders(task_id: int) -> list[int]:
    return list(
        TaskLeader.objects.filter(task_id=task_id)
        .order_by("position", "pk")
        .values_list("leader_id", flat=True)
    )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _changed(item, step: str) -> None:
    revision.bump()
    transaction.on_commit(lambda: coordination_changed.send(sender=Item, item=item, step=step))


# --- who sees and does what -----------------------------------------------------------------


def items_visible_to(user, queryset=None):
    queryset = Item.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    person = person_of(user)
    if person.is_office or person.leader is not None:
        return queryset
    if person.unit is None:
        return queryset.none()
    named = Item.units.through.objects.filter(
        coordinationitem=OuterRef("pk"), department=person.unit
    )
    return queryset.filter(Q(task__in=tasks_visible_to(user)) | Q(Exists(named)))


def must_act(user, item) -> bool:
    """A leader or unit the item names (the office may always step in)."""
    person = person_of(user)
    if person.is_office:
        return True
    if person.leader is not None and item.leaders.filter(pk=person.leader.pk).exists():
        return True
    return person.unit is not None and item.units.filter(pk=person.unit.pk).exists()


def may_close(user, item) -> bool:
    """The unit that raised it, or the office."""
    person = person_of(user)
    return person.is_office or (person.unit is not None and person.unit.pk == item.department_id)


def actions_for(user, item) -> dict:
    act, close = must_act(user, item), may_close(user, item)
    leader = person_of(user).leader
    return {
        "may_reply": act and item.is_active and leader is None,
        "may_instruct": leader is not None and item.is_active and act,
        "may_close": close and item.is_active,
        "may_reopen": close and not item.is_active,
    }


def open_items_for_leader(leader: Leader):
    return Item.objects.filter(state__in=State.ACTIVE, leaders=leader)


def open_items_for_unit(department):
    """What a unit sees in 我的任务: items that name it, and the ones it raised, still open."""
    return (
        Item.objects.filter(state__in=State.ACTIVE)
        .filter(Q(units=department) | Q(department=department))
        .distinct()
    )


# --- steps ------------------------------------------------------------------------------------


def _locked(item) -> CoordinationItem:
    return Item.objects.select_for_update().select_related("task", "department").get(pk=item.pk)


def _note(text: str, what: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CoordinationError(f"请填写{what}。")
    if len(text) > MAX_NOTE:
        raise CoordinationError(f"{what}不能超过 {MAX_NOTE} 字。")
    return text


@transaction.atomic
def reply(user, item, text: str) -> CoordinationItem:
    """A named unit (or the office) answers: the item is 协调中, the reply in the trail."""
    text = _note(text, "协调意见")
    item = _locked(item)
    if not must_act(user, item) or person_of(user).leader is not None:
        raise PermissionDenied("本单位不是该事项的协调单位。")
    if not item.is_active:
        raise CoordinationError(f"该事项{item.get_state_display()}，不能再答复。")
    last = audit.trail_of(item)[-1:]
    if last and last[0].kind == "coordination.replied" and last[0].reason == text:
        return item  # the same reply sent twice
    before = item.state
    item.state = State.IN_PROGRESS
    item.save(update_fields=["state"])
    who = person_of(user).unit
    audit.record(
        item.task,
        "coordination.replied",
        actor=user,
        summary=f"{who.name if who else '督查室'}答复需协调事项：{_short(item.text)}",
        changes={"状态": (State(before).label, item.get_state_display())}
        if before != item.state
        else None,
        reason=text,
        obj=item,
    )
    _changed(item, "replied")
    return item


def link_instruction(user, instruction, item_id) -> None:
    """The 批示 being written answers this item (called in the instruction's transaction)."""
    if item_id in (None, ""):
        return
    if not str(item_id).isdigit() or len(str(item_id)) > 12:
        raise CoordinationError("未找到该需协调事项。")
    item = items_visible_to(user).filter(pk=int(item_id), task=instruction.task_id).first()
    if item is None or not must_act(user, item):
        raise CoordinationError("未找到该需协调事项。")
    if instruction.coordination_item_id != item.pk:
        instruction.coordination_item = item
        instruction.save(update_fields=["coordination_item"])


def answered_by_instruction(instruction) -> None:
    """A published 批示 answers its item: 待协调 → 协调中 (once; the trail names the 批示)."""
    if instruction.coordination_item_id is None or not instruction.is_published:
        return
    item = _locked(instruction.coordination_item)
    if audit.trail_of(item) and any(
        e.kind == "coordination.answered" and e.reason.endswith(f"#{instruction.pk}")
        for e in audit.trail_of(item)
    ):
        return
    before = item.state
    if item.state == State.OPEN:
        item.state = State.IN_PROGRESS
        item.save(update_fields=["state"])
    audit.record(
        item.task,
        "coordination.answered",
        actor=instruction.leader.user,
        summary=f"{instruction.leader.name}批示答复需协调事项：{_short(instruction.text)}",
        changes={"状态": (State(before).label, item.get_state_display())}
        if before != item.state
        else None,
        reason=f"批示 #{instruction.pk}",
        obj=item,
    )
    _changed(item, "answered")


@transaction.atomic
def close(user, item, state: str, note: str) -> CoordinationItem:
    if state not in State.CLOSED:
        raise CoordinationError("请选择“已解决”或“无法解决”。")
    note = _note(note, "办结说明" if state == State.RESOLVED else "无法解决的原因")
    item = _locked(item)
    if not may_close(user, item):
        raise PermissionDenied("只有提出单位或督查室可以办结该事项。")
    if item.state == state and item.note == note:
        return item  # the same close sent twice
    if not item.is_active:
        raise CoordinationError(f"该事项已{item.get_state_display()}。")
    before = item.state
    item.state, item.note = state, note
    item.closed_at, item.closed_by = clock.now(), user
    item.save(update_fields=["state", "note", "closed_at", "closed_by"])
    audit.record(
        item.task,
        "coordination.closed",
        actor=user,
        summary=f"需协调事项{item.get_state_display()}：{_short(item.text)}",
        changes={"状态": (State(before).label, item.get_state_display())},
        reason=note,
        obj=item,
    )
    _changed(item, "closed")
    return item


@transaction.atomic
def reopen(user, item, reason: str) -> CoordinationItem:
    reason = _note(reason, "重新打开的原因")
    item = _locked(item)
    if not may_close(user, item):
        raise PermissionDenied("只有提出单位或督查室可以重新打开该事项。")
    if item.is_active:
        return item  # already open (the same reopen sent twice)
    before = item.state
    item.state, item.reopened = State.IN_PROGRESS, item.reopened + 1
    item.closed_at, item.closed_by = None, None
    item.due = max(item.due, default_due(clock.today()))
    item.save(update_fields=["state", "reopened", "closed_at", "closed_by", "due"])
    audit.record(
        item.task,
        "coordination.reopened",
        actor=user,
        summary=f"重新打开需协调事项：{_short(item.text)}",
        changes={
            "状态": (State(before).label, item.get_state_display()),
            "协调时限": (None, item.due),
        },
        reason=reason,
        obj=item,
    )
    _changed(item, "reopened")
    return item


# --- what pages show ------------------------------------------------------------------------


def can_list(user) -> bool:
    """The office's list of every item (filters, export)."""
    return person_of(user).is_office


def is_overdue(item, today: datetime.date) -> bool:
    return item.is_active and item.due < today


def leader_panel(leader) -> dict:
    """The portfolio's first panel: open items the leader must act on, oldest due first."""
    items = list(
        open_items_for_leader(leader)
        .select_related("task__plan", "department")
        .order_by("due", "pk")
    )
    today = clock.today()
    return {
        "coordination_rows": [{"item": i, "overdue": is_overdue(i, today)} for i in items],
        "coordination_leader": leader,
    }
