"""The 督办单 pages: the list, one notice with its trail, the office's confirm / not issue /
resolve, the lead unit's reply with 整改措施, and the one-page Word document.

Who reads which notice is reports.escalation_flow.visible_to (out of scope → 404); the steps
and their refusals are there too (a refused step → 400 with its Chinese message).
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import can_review, person_of
from tasks import audit
from tasks.models import TaskUnit

from . import escalation_flow as flow
from .escalation_doc import filename, notice_document
from .models import EscalationNotice

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATE_ORDER = ["proposed", "issued", "replied", "resolved", "dismissed"]


def _notice(request, notice_id: int) -> EscalationNotice:
    return get_object_or_404(
        flow.visible_to(
            request.user, EscalationNotice.objects.select_related("plan", "task__plan")
        ),
        pk=notice_id,
    )


def _office_only(request):
    if not can_review(request.user):
        raise PermissionDenied("只有督查室可以办理督办单")


@login_required
def escalation_list(request):
    """Proposed notices first (the office's queue), then open ones, then closed ones."""
    person = person_of(request.user)
    if not (person.is_office or person.leader is not None or person.unit is not None):
        raise PermissionDenied("无权查看督办单")
    state = request.GET.get("state", "")
    notices = (
        flow.visible_to(request.user)
        .select_related("plan", "task")
        .prefetch_related(
            Prefetch(
                "task__unit_links",
                queryset=TaskUnit.objects.filter(role=TaskUnit.Role.LEAD).select_related(
                    "department", "group"
                ),
                to_attr="lead_links",
            )
        )
    )
    if state in STATE_ORDER:
        notices = notices.filter(state=state)
    rows = sorted(notices[:500], key=lambda n: (STATE_ORDER.index(n.state), -n.pk))
    return render(
        request,
        "reports/escalations.html",
        {
            "notices": rows,
            "state": state if state in STATE_ORDER else "",
            "states": EscalationNotice.State.choices,
            "is_office": person.is_office,
        },
    )


def _detail(request, notice, *, error="", measures="", status=200):
    return render(
        request,
        "reports/escalation_detail.html",
        {
            "notice": notice,
            "facts": notice.facts.splitlines(),
            "trail": audit.trail_of(notice),
            "is_office": person_of(request.user).is_office,
            "can_reply": flow.can_reply(request.user, notice),
            "error": error,
            "measures": measures,
        },
        status=status,
    )


@login_required
def escalation_detail(request, notice_id: int):
    return _detail(request, _notice(request, notice_id))


def _step(request, notice_id: int, action, done: str, *, office=True, field="note"):
    notice = _notice(request, notice_id)
    if office:
        _office_only(request)
    text = request.POST.get(field, "")
    try:
        action(notice, request.user, text)
    except flow.Refused as refused:
        notice.refresh_from_db()
        return _detail(request, notice, error=str(refused), measures=text, status=400)
    messages.success(request, done)
    return redirect("reports:escalation", notice.pk)


@login_required
@require_POST
def escalation_confirm(request, notice_id: int):
    return _step(
        request, notice_id, lambda n, u, _: flow.confirm(n, u), "督办单已确认印发，已通知牵头单位。"
    )


@login_required
@require_POST
def escalation_dismiss(request, notice_id: int):
    return _step(request, notice_id, flow.dismiss, "已标记为不予督办。")


@login_required
@require_POST
def escalation_reply(request, notice_id: int):
    notice = _notice(request, notice_id)
    if not flow.can_reply(request.user, notice) and notice.state == notice.State.ISSUED:
        raise PermissionDenied("只有该任务的牵头单位可以回复整改措施")
    return _step(
        request, notice_id, flow.reply, "整改措施已提交，督查室将审核办结。", office=False,
        field="measures",
    )  # fmt: skip


@login_required
@require_POST
def escalation_resolve(request, notice_id: int):
    return _step(request, notice_id, flow.resolve, "督办单已办结。")


@login_required
def escalation_document(request, notice_id: int):
    notice = _notice(request, notice_id)
    return FileResponse(
        io.BytesIO(notice_document(notice)),
        as_attachment=True,
        filename=filename(notice),
        content_type=DOCX,
    )
