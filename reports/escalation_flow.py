"""The life of a 督办单: proposed by the weekly roll-up, confirmed (numbered, dated) by the office
or not issued, answered by the lead unit with its 整改措施, resolved by the office.

The triggers are pure (reports.escalation); this module reads the facts, writes the notices and
records every step in the task's audit trail (tasks.audit) inside its transaction. Whoever must
act next is told through tasks.signals.escalation_step (notifications.receivers).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from accounts.roles import person_of
from tasks import audit, clock, reporting
from tasks.access import unit_role_in
from tasks.models import Plan, Task, TaskLeader, TaskNode, TaskUnit
from tasks.periods import WEEKLY, Period
from tasks.progress import plan_status_history, plan_task_states
from tasks.signals import escalation_step

from .escalation import Ladder, Node, outranks, trigger
from .models import EscalationNotice

MEASURES_MAX = 4000
State = EscalationNotice.State


class Refused(Exception):
    """A step that may not be taken (its message is shown to the user, in Chinese)."""


def ladder() -> Ladder:
    return Ladder(
        yellow_periods=settings.ESCALATION_YELLOW_PERIODS,
        red_periods=settings.ESCALATION_RED_PERIODS,
        reply_days=settings.ESCALATION_REPLY_DAYS,
    )


def _recent(period: Period, count: int) -> list[Period]:
    periods = [period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def _name(period: Period) -> str:
    """第19周 / 5月: short enough for a notice's facts."""
    return f"第{period.index}周" if period.cycle == WEEKLY else f"{period.index}月"


def _nodes(task_ids) -> dict[int, list[Node]]:
    found: dict[int, list[Node]] = {}
    for node in TaskNode.objects.filter(task__in=task_ids):
        found.setdefault(node.task_id, []).append(
            Node(node.extended_due or node.due, float(node.expected_percent), node.description)
        )
    return found


def triggers(plan: Plan, period: Period, today: datetime.date | None = None) -> dict:
    """task id -> the Trigger it earns at the end of `period` (open tasks only)."""
    today = today or clock.today()
    rungs = ladder()
    periods = _recent(period, max(rungs.yellow_periods, rungs.red_periods))
    as_of = min(period.end, today)
    states = plan_task_states(plan, as_of)
    open_ids = set(
        Task.objects.filter(pk__in=list(states), closed_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    history = plan_status_history(plan, periods, sorted(open_ids), today)
    nodes = _nodes(open_ids)
    found = {}
    for task_id in open_ids:
        earned = trigger(
            [(_name(p), history[p.key][task_id]) for p in periods if task_id in history[p.key]],
            as_of=as_of,
            completion=states[task_id].completion,
            nodes=nodes.get(task_id, ()),
            ladder=rungs,
        )
        if earned is not None:
            found[task_id] = earned
    return found


@transaction.atomic
def propose(plan: Plan, period: Period, today: datetime.date | None = None) -> list:
    """Propose the notices the period's triggers call for; the office confirms each.

    A task with an open notice of the same colour gets no second one; a red trigger on a task
    with an open yellow notice is proposed beside it. Safe to run twice (the roll-up reruns).
    """
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one proposer at a time
    found = triggers(plan, period, today)
    open_colors: dict[int, set[str]] = {}
    for task_id, color in EscalationNotice.objects.filter(
        task__in=list(found), state__in=EscalationNotice.OPEN
    ).values_list("task_id", "color"):
        open_colors.setdefault(task_id, set()).add(color)
    created = []
    tasks = Task.objects.in_bulk(list(found))
    for task_id, earned in found.items():
        held = open_colors.get(task_id, set())
        if earned.color in held or any(outranks(c, earned.color) for c in held):
            continue
        notice = EscalationNotice.objects.create(
            plan=plan,
            task_id=task_id,
            color=earned.color,
            period_key=period.key,
            facts="\n".join(earned.facts),
            proposed_at=clock.now(),
        )
        audit.record(
            tasks[task_id],
            "escalation.proposed",
            actor=None,
            summary=f"周报汇总提出{earned.label}（待督查室确认）",
            reason="；".join(earned.facts),
            obj=notice,
        )
        created.append(notice)
    return created


def propose_after_rollup(plan: Plan, period: Period, today: datetime.date | None = None) -> list:
    """The weekly roll-up's proposals: only for the current period or the one before it (a
    workbook rebuilt for an old week proposes nothing: its facts are history)."""
    current = reporting.current_period(plan, today)
    if period not in (current, current.previous()):
        return []
    return propose(plan, period, today)


def _locked(notice: EscalationNotice) -> EscalationNotice:
    return (
        EscalationNotice.objects.select_for_update(of=("self",))
        .select_related("plan", "task")
        .get(pk=notice.pk)
    )


def copy_to(notice: EscalationNotice) -> tuple[list[str], list[int]]:
    """(names printed on the notice, leader ids to notify): the task's lead leaders, and for a
    red notice the office's own leader (settings.ESCALATION_OFFICE_LEADER)."""
    links = TaskLeader.objects.filter(task=notice.task_id).select_related("leader")
    names = [link.leader.name for link in links.order_by("position")]
    ids = [link.leader_id for link in links]
    if notice.color == EscalationNotice.Color.RED and settings.ESCALATION_OFFICE_LEADER:
        names.append(settings.ESCALATION_OFFICE_LEADER)
    return names, ids


def lead_unit_ids(task_id: int) -> list[int]:
    return list(
        TaskUnit.objects.filter(
            task=task_id, role=TaskUnit.Role.LEAD, department__isnull=False
        ).values_list("department_id", flat=True)
    )


def _tell(
    notice, step: str, title: str, *, units=(), leaders=(), office=False, office_leader=False
):
    url = reverse("reports:escalation", args=[notice.pk])
    transaction.on_commit(
        lambda: escalation_step.send(
            sender=EscalationNotice, task=notice.task, step=step, title=title,
            body=notice.facts, url=url, unit_ids=list(units), leader_ids=list(leaders),
            office=office, office_leader=settings.ESCALATION_OFFICE_LEADER if office_leader else "",
        )
    )  # fmt: skip


@transaction.atomic
def confirm(
    notice: EscalationNotice, user, *, reply_days: int | None = None, today=None
) -> EscalationNotice:
    """Issue a proposed notice: numbered per plan (the plan is one year), dated today, with a
    reply deadline. Confirming twice (a double click) is refused, never numbered twice."""
    notice = _locked(notice)
    if notice.state != State.PROPOSED:
        raise Refused(f"该督办单已{notice.get_state_display()}，不能再次确认。")
    Plan.objects.select_for_update().filter(pk=notice.plan_id).first()  # numbers in order
    last = EscalationNotice.objects.filter(plan=notice.plan_id).aggregate(n=Max("number"))["n"]
    today = today or clock.today()
    names, leader_ids = copy_to(notice)
    notice.number = (last or 0) + 1
    notice.issued_on = today
    notice.reply_due = today + datetime.timedelta(days=reply_days or ladder().reply_days)
    notice.copy_to = "、".join(names)[:300]
    notice.state = State.ISSUED
    notice.issued_by = user
    notice.save()
    audit.record(
        notice.task,
        "escalation.issued",
        actor=user,
        summary=f"印发{notice.get_color_display()} {notice.number_text}",
        changes={"回复期限": (None, notice.reply_due)},
        reason=notice.facts.replace("\n", "；"),
        obj=notice,
    )
    _tell(
        notice, "issued", f"任务 {notice.task.number} 收到{notice.get_color_display()}"
        f"（{notice.number_text}），请于{notice.reply_due:%Y-%m-%d}前回复整改措施",
        units=lead_unit_ids(notice.task_id), leaders=leader_ids,
        office_leader=notice.color == EscalationNotice.Color.RED,
    )  # fmt: skip
    return notice


@transaction.atomic
def dismiss(notice: EscalationNotice, user, reason: str) -> EscalationNotice:
    """The office decides a proposal needs no notice (不予督办), with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("请填写不予督办的理由。")
    notice = _locked(notice)
    if notice.state != State.PROPOSED:
        raise Refused(f"该督办单已{notice.get_state_display()}，不能改为不予督办。")
    notice.state, notice.note = State.DISMISSED, reason[:MEASURES_MAX]
    notice.closed_at, notice.closed_by = clock.now(), user
    notice.save()
    audit.record(notice.task, "escalation.dismissed", actor=user,
                 summary=f"{notice.get_color_display()}不予督办", reason=notice.note, obj=notice)  # fmt: skip
    return notice


def can_reply(user, notice: EscalationNotice) -> bool:
    """A lead unit's staff or head replies to a notice on its own task, once issued."""
    unit = person_of(user).unit
    return (
        unit is not None
        and notice.state == State.ISSUED
        and unit_role_in(notice.task, unit) == TaskUnit.Role.LEAD
    )


@transaction.atomic
def reply(notice: EscalationNotice, user, measures: str) -> EscalationNotice:
    """The lead unit answers with its 整改措施 (required); the office is told."""
    measures = (measures or "").strip()
    if not measures:
        raise Refused("请填写整改措施。")
    if len(measures) > MEASURES_MAX:
        raise Refused(f"整改措施不超过 {MEASURES_MAX} 字。")
    notice = _locked(notice)
    if notice.state != State.ISSUED:
        raise Refused(f"该督办单{notice.get_state_display()}，不能回复。")
    if not can_reply(user, notice):
        raise Refused("只有该任务的牵头单位可以回复整改措施。")
    notice.state, notice.measures = State.REPLIED, measures
    notice.replied_at, notice.replied_by = clock.now(), user
    notice.save()
    unit = person_of(user).unit
    audit.record(notice.task, "escalation.replied", actor=user,
                 summary=f"{unit.name}回复{notice.number_text}整改措施", reason=measures, obj=notice)  # fmt: skip
    _tell(notice, "replied", f"{unit.name}已回复{notice.number_text}的整改措施", office=True)
    return notice


@transaction.atomic
def resolve(notice: EscalationNotice, user, note: str = "") -> EscalationNotice:
    """The office marks a replied notice resolved (办结)."""
    notice = _locked(notice)
    if notice.state != State.REPLIED:
        raise Refused(
            "牵头单位尚未回复整改措施，不能办结。"
            if notice.state == State.ISSUED
            else f"该督办单{notice.get_state_display()}，不能办结。"
        )
    notice.state, notice.note = State.RESOLVED, (note or "").strip()[:MEASURES_MAX]
    notice.closed_at, notice.closed_by = clock.now(), user
    notice.save()
    audit.record(notice.task, "escalation.resolved", actor=user,
                 summary=f"{notice.number_text}办结", reason=notice.note, obj=notice)  # fmt: skip
    _tell(notice, "resolved", f"{notice.number_text}已办结", units=lead_unit_ids(notice.task_id))
    return notice


def visible_to(user, queryset=None):
    """The office reads every notice; leaders and units read issued ones (a proposal is the
    office's draft): leaders those on the tasks they lead, units those on their lead tasks."""
    queryset = EscalationNotice.objects.all() if queryset is None else queryset
    person = person_of(user)
    if person.is_office:
        return queryset
    issued = queryset.exclude(state__in=[State.PROPOSED, State.DISMISSED])
    if person.leader is not None:
        return issued.filter(task__leader_links__leader=person.leader).distinct()
    if person.unit is not None:
        return issued.filter(
            task__unit_links__role=TaskUnit.Role.LEAD, task__unit_links__department=person.unit
        ).distinct()
    return queryset.none()
