"""落实情况: what the units concerned report having done about a published instruction (批示).

A unit that must acknowledge an instruction (leaders.instructions.can_acknowledge) may also
write its 落实情况, as often as it has news: every entry is kept (history, nothing is edited or
overwritten), with who wrote it and when. Writing one counts as 已阅 too. The author sees them
on the instruction page; entries written after he last opened that page are new to him, and his
portfolio counts them.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q

from accounts.roles import person_of
from tasks import clock

from .instructions import REPEAT_WINDOW, InstructionError, can_acknowledge
from .models import Acknowledgement, Instruction, InstructionResponse

MAX_RESPONSE_LENGTH = 2000


def can_respond(user, instruction: Instruction) -> bool:
    """The person's own unit, when it must acknowledge the published instruction."""
    return can_acknowledge(user, instruction, person_of(user).unit)


def write_response(user, instruction: Instruction, text: str) -> InstructionResponse:
    """Add the unit's 落实情况 (and its 已阅, if not yet). The same text from the same unit
    within a few minutes is the same request sent twice: it is recorded once."""
    unit = person_of(user).unit
    if not can_respond(user, instruction):
        raise PermissionDenied("本单位无需落实该批示。")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise InstructionError("落实情况不能为空。")
    if len(text) > MAX_RESPONSE_LENGTH:
        raise InstructionError(f"落实情况不能超过 {MAX_RESPONSE_LENGTH} 字。")
    now = clock.now()
    with transaction.atomic():
        # Two identical requests at once: the instruction's lock makes the second wait, then
        # find the first one's entry.
        Instruction.objects.select_for_update().filter(pk=instruction.pk).first()
        same = (
            InstructionResponse.objects.filter(
                instruction=instruction,
                department=unit,
                text=text,
                written_at__gte=now - REPEAT_WINDOW,
            )
            .order_by("-pk")
            .first()
        )
        if same is not None:
            return same
        Acknowledgement.objects.get_or_create(
            instruction=instruction,
            department=unit,
            defaults={"acknowledged_by": user, "acknowledged_at": now},
        )
        return InstructionResponse.objects.create(
            instruction=instruction, department=unit, text=text, written_by=user, written_at=now
        )


def responses_of(instruction: Instruction) -> list[InstructionResponse]:
    """Every 落实情况 of the instruction, newest first (one query)."""
    return list(instruction.responses.select_related("department", "written_by"))


def is_new(response: InstructionResponse, instruction: Instruction) -> bool:
    seen = instruction.responses_seen_at
    return seen is None or response.written_at > seen


def mark_seen(user, instruction: Instruction) -> None:
    """The author has opened the page: every 落实情况 so far is no longer new to him."""
    leader = person_of(user).leader
    if leader is not None and instruction.leader_id == leader.pk and instruction.is_published:
        Instruction.objects.filter(pk=instruction.pk).update(responses_seen_at=clock.now())


def new_responses_for(leader) -> list[Instruction]:
    """The leader's published instructions with 落实情况 he has not seen, each with
    `new_count`, newest instruction first (one query)."""
    unseen = Q(responses__isnull=False) & (
        Q(responses_seen_at__isnull=True) | Q(responses__written_at__gt=F("responses_seen_at"))
    )
    return list(
        Instruction.objects.filter(leader=leader, state=Instruction.State.PUBLISHED)
        .annotate(new_count=Count("responses", filter=unseen))
        .filter(new_count__gt=0)
        .select_related("task__plan")
        .order_by("-published_at", "-pk")
    )
