"""Pages of leaders' instructions (批示): write, read with who has read it, acknowledge, overview.

Every permission comes from leaders.instructions: objects outside the viewer's scope are 404
(nothing is found by guessing a URL), refusals of a role are 403.
"""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.roles import can_track_instructions, person_of
from common.export import maybe_export
from common.redirects import redirect_next
from common.tables import BaseTable, DateTimeTextColumn
from tasks import clock, coordination
from tasks.access import tasks_visible_to
from tasks.lookups import plan_or_404

from .instruction_sheet import instruction_sheet, sheet_filename
from .instructions import (
    MAX_TEXT_LENGTH,
    InstructionError,
    acknowledge,
    acknowledgement_status,
    acknowledgement_statuses,
    awaiting_acknowledgement,
    can_edit_instruction,
    can_open_instruction,
    can_write_instruction,
    instructions_visible_to,
    is_author,
    save_instruction,
    units_to_acknowledge,
)
from .models import Instruction
from .responses import (
    MAX_RESPONSE_LENGTH,
    can_respond,
    is_new,
    mark_seen,
    responses_of,
    write_response,
)


def _visible_instruction(request, instruction_id: int, queryset=None) -> Instruction:
    queryset = Instruction.objects.all() if queryset is None else queryset
    return get_object_or_404(
        instructions_visible_to(request.user, queryset).select_related("task__plan", "leader"),
        pk=instruction_id,
    )


@login_required
def instruction_write(request, plan_key: str, number: str):
    """A lead leader writes an instruction on the task (GET form, POST save or publish).

    ?id= edits one of the leader's own drafts of this task.
    """
    plan = plan_or_404(plan_key)
    task = get_object_or_404(
        tasks_visible_to(request.user, plan.tasks.select_related("plan")), number=number
    )
    if not can_write_instruction(request.user, task):
        raise PermissionDenied("只有该任务的牵头领导可以批示")
    instruction = None
    instruction_id = request.POST.get("id") or request.GET.get("id")
    if instruction_id:
        if not str(instruction_id).isdigit():
            raise Http404("未找到该批示")
        instruction = _visible_instruction(request, int(instruction_id), task.instructions.all())
        if (
            instruction.is_published
            and (request.POST.get("action") == "publish" or "confirm" in request.GET)
            and is_author(request.user, instruction)
        ):
            # The publish of this draft sent twice (or its confirm step opened again): it is
            # published, show it.
            messages.info(request, "该批示已发布，未重复发布。")
            return redirect(instruction.get_absolute_url())
        if not can_edit_instruction(request.user, instruction):
            raise PermissionDenied("已发布的批示不能修改，他人的批示不能修改")
    text = instruction.text if instruction else ""
    status = 200
    # 发布 asks first, without JavaScript: the first 发布 saves the text as a draft and shows
    # it with the units to be notified (GET ?id=&confirm=1); 确认发布 there publishes it.
    confirming = request.method == "GET" and instruction is not None and "confirm" in request.GET
    if request.method == "POST":
        text = request.POST.get("text", "")
        publish = request.POST.get("action") == "publish"
        confirmed = publish and request.POST.get("confirm") == "1"
        try:
            with transaction.atomic():  # the 批示 and the 需协调事项 it answers, together
                instruction = save_instruction(
                    request.user, task, text, publish=confirmed, instruction=instruction
                )
                coordination.link_instruction(request.user, instruction, request.POST.get("item"))
                coordination.answered_by_instruction(instruction)
        except (InstructionError, coordination.CoordinationError) as error:
            messages.error(request, str(error))
            status = 400
        else:
            if confirmed:
                messages.success(request, "批示已发布，已通知需签阅的单位。")
                return redirect(instruction.get_absolute_url())
            if publish:
                return redirect(f"{request.path}?id={instruction.pk}&confirm=1")
            messages.success(request, "批示草稿已保存（仅本人可见）。")
            return redirect(f"{request.path}?id={instruction.pk}")
    context = {
        "plan": plan,
        "task": task,
        "instruction": instruction,
        "text": text,
        "max_length": MAX_TEXT_LENGTH,
        "confirming": confirming,
        "units": units_to_acknowledge(instruction or Instruction(task=task)) if confirming else [],
        "item_id": _item_id(request, instruction),
    }
    return render(request, "leaders/instruction_form.html", context, status=status)


def _item_id(request, instruction) -> str:
    """The 需协调事项 the form answers: ?item= (digits only), or the draft's own link."""
    given = request.POST.get("item") or request.GET.get("item") or ""
    if given.isdigit() and len(given) <= 12:
        return given
    linked = instruction.coordination_item_id if instruction else None
    return str(linked) if linked else ""


@login_required
def instruction_detail(request, instruction_id: int):
    """The instruction, per unit who read it and when, and the units' 落实情况 (author, office,
    units concerned). Opening it marks the 落实情况 so far as seen by the author."""
    instruction = _visible_instruction(request, instruction_id)
    context = _detail_context(request, instruction)
    mark_seen(request.user, instruction)
    return render(request, "leaders/instruction_detail.html", context)


def _detail_context(request, instruction, response_text: str = "") -> dict:
    if not can_open_instruction(request.user, instruction):
        raise PermissionDenied("仅批示领导、督查室和相关单位可查看签阅情况")
    statuses = acknowledgement_status(instruction)
    unit = person_of(request.user).unit
    own = next((s for s in statuses if unit is not None and s.department.pk == unit.pk), None)
    may_respond = own is not None and can_respond(request.user, instruction)
    is_author = instruction.leader_id == getattr(person_of(request.user).leader, "pk", None)
    return {
        "instruction": instruction,
        "task": instruction.task,
        "statuses": statuses,
        "acknowledged_count": sum(1 for s in statuses if s.acknowledged),
        "can_acknowledge": may_respond and not own.acknowledged,
        "can_respond": may_respond,
        "can_edit": can_edit_instruction(request.user, instruction),
        "responses": [(r, is_author and is_new(r, instruction)) for r in responses_of(instruction)],
        "response_text": response_text,
        "max_response_length": MAX_RESPONSE_LENGTH,
    }


@login_required
@require_POST
def instruction_respond(request, instruction_id: int):
    """A unit concerned writes its 落实情况 (kept as history; also counts as 已阅)."""
    instruction = _visible_instruction(request, instruction_id)
    text = request.POST.get("text", "")
    try:
        write_response(request.user, instruction, text)  # PermissionDenied for others
    except InstructionError as error:
        messages.error(request, str(error))
        context = _detail_context(request, instruction, response_text=text)
        return render(request, "leaders/instruction_detail.html", context, status=400)
    messages.success(request, f"落实情况已报送：任务 {instruction.task.number} 的批示。")
    return redirect(instruction.get_absolute_url())


@login_required
def instruction_sheet_download(request, instruction_id: int):
    """The 领导批示件 as a Word document, for those who may open the instruction page."""
    instruction = _visible_instruction(request, instruction_id)
    if not can_open_instruction(request.user, instruction):
        raise PermissionDenied("仅批示领导、督查室和相关单位可下载批示件")
    response = HttpResponse(
        instruction_sheet(instruction),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, sheet_filename(instruction))
    return response


@login_required
@require_POST
def instruction_acknowledge(request, instruction_id: int):
    """已阅: always for the person's own unit (a unit named in the form is ignored)."""
    instruction = _visible_instruction(request, instruction_id)
    acknowledge(request.user, instruction)  # PermissionDenied (403) for units not concerned
    messages.success(request, f"已阅：任务 {instruction.task.number} 的批示。")
    return redirect_next(request, request.POST.get("next"), instruction.get_absolute_url())


class PendingInstructionTable(BaseTable):
    """Published instructions that some units have not acknowledged, oldest first."""

    task = tables.Column(
        "任务", accessor="task__number", order_by=("task__plan", "task__sort_order")
    )
    leader = tables.Column("批示领导", accessor="leader__name", order_by=("leader__sort_order",))
    text = tables.Column("批示内容", orderable=False)
    published_at = DateTimeTextColumn(format="Y-m-d H:i", verbose_name="发布时间")
    acknowledged = tables.Column("已阅", empty_values=(), orderable=False)
    pending_units = tables.Column("未阅单位", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Instruction
        fields = ("task", "leader", "text", "published_at", "acknowledged", "pending_units")
        order_by = ("published_at",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._statuses = {}

    def _status(self, record):
        """Statuses for the shown page at once (or every row, for an export): three queries."""
        if record.pk not in self._statuses:
            page = getattr(self, "page", None)
            records = [row.record for row in page.object_list] if page else []
            if record.pk not in {r.pk for r in records}:
                records = list(self.data)
            self._statuses.update(acknowledgement_statuses(records))
        return self._statuses[record.pk]

    def render_task(self, record):
        return format_html(
            '<a href="{}">{}年 任务 {}</a>',
            record.task.get_absolute_url(),
            record.task.plan.year,
            record.task.number,
        )

    def value_task(self, record):
        return f"{record.task.plan.year}年 任务 {record.task.number}"

    def render_text(self, record):
        text = record.text if len(record.text) <= 60 else record.text[:60] + "…"
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)

    def value_text(self, record):
        return record.text

    def render_acknowledged(self, record):
        statuses = self._status(record)
        return f"{sum(1 for s in statuses if s.acknowledged)}/{len(statuses)}"

    def value_acknowledged(self, record):
        return self.render_acknowledged(record)

    def _pending_names(self, record):
        return [s.department.name for s in self._status(record) if not s.acknowledged]

    def render_pending_units(self, record):
        return format_html_join(
            "、", '<span class="unit">{}</span>', ((name,) for name in self._pending_names(record))
        )

    def value_pending_units(self, record):
        return "、".join(self._pending_names(record))


@login_required
def instructions_pending(request):
    """The office's list of published instructions with the units that have not read them."""
    if not can_track_instructions(request.user):
        raise PermissionDenied("仅督查室可用")
    queryset = awaiting_acknowledgement().select_related("task__plan", "leader")
    table = PendingInstructionTable(queryset)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "批示未阅单位", as_of=clock.today()):
        return exported
    return render(request, "leaders/instructions_pending.html", {"table": table})
