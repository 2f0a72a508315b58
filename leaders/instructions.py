"""Leaders' instructions (批示) and their acknowledgement (已阅): who may do what, and the writes.

Who must acknowledge an instruction: the expected reporters of its task
(tasks.duties.expected_reporters) — the lead units, each member of a group named as lead unit,
and the cooperating units named directly. Units that reach the task only through a cooperating
group (各镇政府（街道办事处） …) are not asked. The list is read from the task's current
responsibilities, so when a re-imported plan changes them, who is still pending changes too;
acknowledgements of units no longer concerned stay recorded but are not shown.

Scopes: a published instruction is read by everyone who can read its task; a draft only by
its author. The detail page (who read it, when) is for the author, the office and the units
concerned. Only a lead leader of the task writes; only the author edits, and only a draft.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import person_of
from departments.models import Department
from tasks import clock
from tasks.access import leads_task, tasks_visible_to
from tasks.duties import expected_units, owing_links
from tasks.models import Task, TaskUnit

from .models import Acknowledgement, Instruction
from .signals import instruction_published

State = Instruction.State
MAX_TEXT_LENGTH = 5000
# The same text on the same task by the same leader within this time is the same request sent
# twice (a double click, a resent form), not a second instruction.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


class InstructionError(Exception):
    """A write that was refused, with a message for the person who tried it."""


# --- Who must acknowledge ---------------------------------------------------------------------


def _units_by_task(task_ids) -> dict[int, list[Department]]:
    """task id -> the units that must acknowledge, in document order (tasks.duties). Two queries."""
    ids = sorted(set(task_ids))
    units = expected_units(ids) if ids else {}
    return {task_id: [department for department, _ in units.get(task_id, [])] for task_id in ids}


def units_to_acknowledge(instruction: Instruction) -> list[Department]:
    """The units that must read the instruction (two queries)."""
    return _units_by_task([instruction.task_id])[instruction.task_id]


@dataclass(frozen=True)
class UnitStatus:
    """One unit's part in an instruction: read (by whom, when) or still pending."""

    department: Department
    acknowledgement: Acknowledgement | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None

    @property
    def acknowledged_by(self):
        return self.acknowledgement.acknowledged_by if self.acknowledgement else None

    @property
    def acknowledged_at(self):
        return self.acknowledgement.acknowledged_at if self.acknowledgement else None


def acknowledgement_statuses(instructions) -> dict[int, list[UnitStatus]]:
    """instruction id -> per unit, acknowledged or pending; three queries for any number."""
    instructions = list(instructions)
    if not instructions:
        return {}
    units = _units_by_task(i.task_id for i in instructions)
    acknowledgements = {
        (a.instruction_id, a.department_id): a
        for a in Acknowledgement.objects.filter(
            instruction__in=[i.pk for i in instructions]
        ).select_related("acknowledged_by")
    }
    return {
        i.pk: [UnitStatus(d, acknowledgements.get((i.pk, d.pk))) for d in units[i.task_id]]
        for i in instructions
    }


def acknowledgement_status(instruction: Instruction) -> list[UnitStatus]:
    """Per unit that must acknowledge: who read it and when, or pending (three queries)."""
    return acknowledgement_statuses([instruction])[instruction.pk]


def pending_for_unit(department):
    """Published instructions the unit must still acknowledge, newest first (a queryset)."""
    concerned = TaskUnit.objects.filter(task=OuterRef("task")).filter(owing_links(department))
    acknowledged = Acknowledgement.objects.filter(instruction=OuterRef("pk"), department=department)
    return (
        Instruction.objects.filter(state=State.PUBLISHED)
        .filter(Exists(concerned))
        .exclude(Exists(acknowledged))
        .order_by("-published_at", "-pk")
    )


def awaiting_acknowledgement(queryset=None):
    """Published instructions that at least one concerned unit has not acknowledged."""
    queryset = Instruction.objects.all() if queryset is None else queryset
    pending_units = Department.objects.filter(
        Exists(
            TaskUnit.objects.filter(task=OuterRef(OuterRef("task"))).filter(
                owing_links(OuterRef("pk"))
            )
        ),
        ~Exists(
            Acknowledgement.objects.filter(
                instruction=OuterRef(OuterRef("pk")), department=OuterRef("pk")
            )
        ),
    )
    return queryset.filter(state=State.PUBLISHED).filter(Exists(pending_units))


def published_recipients(instruction: Instruction) -> list:
    """The active accounts (staff and heads) of the units that must acknowledge."""
    unit_ids = [d.pk for d in units_to_acknowledge(instruction)]
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__department__in=unit_ids)
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .order_by("pk")
    )


# --- Who may do what --------------------------------------------------------------------------


def can_write_instruction(user, task) -> bool:
    """A lead leader (牵头领导) of the task writes instructions on it."""
    return leads_task(user, task)


def instructions_visible_to(user, queryset=None):
    """Published instructions on tasks the person can read, and the person's own drafts."""
    queryset = Instruction.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    visible = Q(state=State.PUBLISHED, task__in=tasks_visible_to(user))
    leader = person_of(user).leader
    if leader is not None:
        visible |= Q(state=State.DRAFT, leader=leader)
    return queryset.filter(visible)


def _is_author(person, instruction) -> bool:
    return person.leader is not None and instruction.leader_id == person.leader.pk


def is_author(user, instruction: Instruction) -> bool:
    """Did this person (as a leader) write the instruction?"""
    return _is_author(person_of(user), instruction)


def _may_open(person, instruction, concerned_ids) -> bool:
    if _is_author(person, instruction):
        return True
    if not instruction.is_published:
        return False
    return person.is_office or (person.unit is not None and person.unit.pk in concerned_ids)


def _own_unit_on_published(person, instruction, department) -> bool:
    return (
        instruction.is_published
        and department is not None
        and person.unit is not None
        and person.unit.pk == department.pk
    )


def _may_acknowledge(person, instruction, department, concerned_ids) -> bool:
    return (
        _own_unit_on_published(person, instruction, department) and department.pk in concerned_ids
    )


def can_open_instruction(user, instruction: Instruction) -> bool:
    """The detail page with who read it: the author, the office, the units concerned.

    Call it on an instruction from instructions_visible_to (out of that scope: not found).
    """
    person = person_of(user)
    if _is_author(person, instruction):
        return True
    return _may_open(person, instruction, {d.pk for d in units_to_acknowledge(instruction)})


def can_edit_instruction(user, instruction: Instruction) -> bool:
    """Only the author edits, only a draft, and only while still a lead leader of the task."""
    return (
        instruction.state == State.DRAFT
        and _is_author(person_of(user), instruction)
        and can_write_instruction(user, instruction.task)
    )


def can_acknowledge(user, instruction: Instruction, department) -> bool:
    """The person's own unit, when it is a unit that must acknowledge the published instruction.

    A unit never acknowledges for another one: `department` must be the person's unit.
    """
    if not _own_unit_on_published(person_of(user), instruction, department):
        return False
    return department.pk in {d.pk for d in units_to_acknowledge(instruction)}


# --- Writes -----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """The instruction's text as stored; InstructionError when empty or too long."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InstructionError("批示内容不能为空。")
    if len(text) > MAX_TEXT_LENGTH:
        raise InstructionError(f"批示内容不能超过 {MAX_TEXT_LENGTH} 字。")
    return text


def save_instruction(user, task, text: str, publish: bool, instruction=None) -> Instruction:
    """Create or edit (own draft only) an instruction; publish it when asked.

    Publishing sends leaders.signals.instruction_published once the transaction has committed.
    """
    if not can_write_instruction(user, task):
        raise PermissionDenied("只有该任务的牵头领导可以批示。")
    text = clean_text(text)
    leader = person_of(user).leader
    with transaction.atomic():
        if instruction is None:
            # Two identical requests at once (a double click): the task's lock makes the second
            # wait and then find the first one's instruction instead of writing another.
            Task.objects.select_for_update().filter(pk=task.pk).first()
            same = _just_written(task, leader, text, publish)
            if same is not None:
                return same
            instruction = Instruction(task=task, leader=leader)
        else:
            instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
            if instruction.task_id != task.pk:
                raise InstructionError("该批示不属于此任务。")
            if instruction.leader_id != leader.pk:
                raise PermissionDenied("只能修改本人的批示草稿。")
            if instruction.is_published and publish and instruction.text == text:
                return instruction  # the same publish sent twice: published (and notified) once
            if instruction.state != State.DRAFT:
                raise InstructionError("批示已发布，不能再修改。")
        instruction.text = text
        if publish:
            instruction.state = State.PUBLISHED
            instruction.published_at = clock.now()
        instruction.save()
        if publish:
            published = instruction
            transaction.on_commit(
                lambda: instruction_published.send(sender=Instruction, instruction=published)
            )
    return instruction


def _just_written(task, leader, text: str, publish: bool) -> Instruction | None:
    """The leader's instruction on the task with this text, written in the last few minutes
    in the state asked for: the same request sent again, not a new instruction."""
    return (
        Instruction.objects.filter(
            task=task,
            leader=leader,
            text=text,
            state=State.PUBLISHED if publish else State.DRAFT,
            created_at__gte=timezone.now() - REPEAT_WINDOW,  # real time, as created_at
        )
        .order_by("-pk")
        .first()
    )


def acknowledge(user, instruction: Instruction) -> Acknowledgement:
    """Record that the person's unit has read the instruction; a second call changes nothing."""
    unit = person_of(user).unit
    if not can_acknowledge(user, instruction, unit):
        raise PermissionDenied("本单位无需签阅该批示。")
    with transaction.atomic():
        acknowledgement, _ = Acknowledgement.objects.get_or_create(
            instruction=instruction,
            department=unit,
            defaults={"acknowledged_by": user, "acknowledged_at": clock.now()},
        )
    return acknowledgement


# --- What the includes show -------------------------------------------------------------------


@dataclass(frozen=True)
class InstructionItem:
    """An instruction as the task page shows it to one viewer."""

    instruction: Instruction
    statuses: list[UnitStatus]
    can_acknowledge: bool  # the viewer's unit must still acknowledge it
    can_open: bool  # the viewer may open the detail page
    can_edit: bool  # the viewer's own draft

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def acknowledged_count(self) -> int:
        return sum(1 for s in self.statuses if s.acknowledged)

    @property
    def pending_units(self) -> list[Department]:
        return [s.department for s in self.statuses if not s.acknowledged]


def task_instruction_context(user, task, *, any_instructions: bool = True) -> dict:
    """What templates/leaders/_task_instructions.html needs, for one task and one viewer.

    Four queries whatever the number of instructions, units and acknowledgements (the viewer's
    person loaded); one when it shows none, none if any_instructions=False (the caller knows
    there are none); one more for a leader account (a lead leader of the task?), one more if
    he is and task.plan was not loaded with the task.
    """
    person = person_of(user)
    # None to read: not even the query built (0.74 ms of CPU for nothing on the office's task
    # page -> 0.01, benchmarks/request_costs.py, 2026-12-01).
    instructions = (
        list(
            instructions_visible_to(user, Instruction.objects.filter(task=task))
            .select_related("leader")
            .order_by(F("published_at").desc(nulls_first=True), "-pk")
        )
        if any_instructions
        else []
    )
    acknowledgements, units = {}, []
    if instructions:  # who acknowledged and who must: only for instructions there are
        acks = Acknowledgement.objects.filter(instruction__task=task)
        acknowledgements = {
            (a.instruction_id, a.department_id): a for a in acks.select_related("acknowledged_by")
        }
        units = _units_by_task([task.pk])[task.pk]
    concerned_ids = {d.pk for d in units}
    can_write = can_write_instruction(user, task)
    items = []
    for instruction in instructions:
        statuses = [UnitStatus(d, acknowledgements.get((instruction.pk, d.pk))) for d in units]
        own_pending = person.unit is not None and (instruction.pk, person.unit.pk) not in (
            acknowledgements
        )
        items.append(
            InstructionItem(
                instruction=instruction,
                statuses=statuses,
                can_acknowledge=own_pending
                and _may_acknowledge(person, instruction, person.unit, concerned_ids),
                can_open=_may_open(person, instruction, concerned_ids),
                can_edit=can_write
                and instruction.state == State.DRAFT
                and _is_author(person, instruction),
            )
        )
    write_url = ""
    if can_write:
        write_url = reverse("leaders:instruction_write", args=[task.plan.slug, task.number])
    return {
        "task_instructions": items,
        "can_write_instruction": can_write,
        "instruction_write_url": write_url,
    }
