"""The 红黑榜 pages: the ranking of units for a month or the year, its export, and publishing it.

The office and leaders read the whole ranking; a unit reads its own score and its parts, and
the others' ranks only once the office has published the span (reports.ranking). Units are
ranked, never people.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import can_generate_reports, can_read_reports, person_of
from common.export import xlsx_response
from tasks import clock, reporting
from tasks.models import Plan

from . import ranking
from .score_inputs import parse_span, span_choices

_SLUG = re.compile(r"[-\w]{1,50}", re.ASCII)


def _plan(value) -> Plan:
    if value and isinstance(value, str) and _SLUG.fullmatch(value):
        plan = Plan.objects.filter(slug=value).first()
    elif not value:
        plan = Plan.objects.order_by("-is_active", "-year", "slug").first()
    else:
        plan = None
    if plan is None:
        raise Http404("未找到该方案")
    return plan


def _span(plan, key, today):
    if key is not None and (not isinstance(key, str) or len(key) > 7):
        raise Http404("考核期间格式不正确")
    try:
        span = parse_span(plan, key or None, today)
    except ValueError as error:
        raise Http404(str(error)) from None
    if span.first > reporting.as_of_date(plan, today):
        raise Http404("该月尚未开始")
    return span


@login_required
def scores(request):
    """The ranking (office, leaders; units once published) or the unit's own score."""
    person = person_of(request.user)
    sees_all = can_read_reports(request.user)
    if not sees_all and person.unit is None:
        raise PermissionDenied("无权查看单位考核")
    today = clock.today()
    plan = _plan(request.GET.get("plan"))
    span = _span(plan, request.GET.get("period"), today)
    published = ranking.is_published(plan, span)
    result = ranking.ranking(plan, span, today)
    full = sees_all or published
    if request.GET.get("_export") == "xlsx":
        if not full:
            raise PermissionDenied("排名尚未公布，不能导出")
        return xlsx_response(
            ranking.export_bytes(result), ranking.title(result), as_of=result.as_of
        )
    own = result.row_of(person.unit.pk) if person.unit is not None else None
    context = {
        "plan": plan,
        "plans": list(Plan.objects.order_by("-is_active", "-year", "slug")),
        "span": span,
        "spans": span_choices(plan, today),
        "result": result,
        "rows": result.rows if full else [],
        "own": own,
        "full": full,
        "published": published,
        "can_publish": can_generate_reports(request.user),
        "title": ranking.title(result),
    }
    return render(request, "reports/scores.html", context)


@login_required
@require_POST
def publish(request):
    """The office publishes (公布) the span's ranking to the units, or withdraws it."""
    if not can_generate_reports(request.user):
        raise PermissionDenied("只有督查室可以公布考核排名")
    plan = _plan(request.POST.get("plan"))
    span = _span(plan, request.POST.get("period"), clock.today())
    action = request.POST.get("action")
    if action not in ("publish", "withdraw"):
        return render(
            request, "reports/refused.html", {"error": "请选择公布或撤回排名。"}, status=400
        )
    ranking.set_published(plan, span, action == "publish", request.user)
    messages.success(
        request,
        f"{span.label}排名已向各单位公布。" if action == "publish" else f"{span.label}排名已撤回。",
    )
    return redirect(f"{reverse('reports:scores')}?plan={plan.slug}&period={span.key}")
