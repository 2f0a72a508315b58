"""The notification centre of every user, and the office's reminder (催办) log and button."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from accounts.roles import person_of
from common.export import maybe_export
from common.filters import BaseFilterSet
from common.tables import BaseTable
from departments.models import Department
from notifications.delivery import summary
from notifications.notices import OUTBOUND
from tasks import clock, reporting
from tasks.models import Plan
from tasks.periods import parse_period_key

from .models import Notification, Reminder
from .reminders import reminder_source, send_reminders, units_missing_reports

NOTIFICATIONS_PER_PAGE = 30


# --- everybody: my notifications ---------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    """The user's own notifications, unread first, newest first within each."""
    queryset = Notification.objects.filter(user=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )
    page = Paginator(queryset, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/notifications.html", {"page": page})


@login_required
@require_POST
def mark_read(request, notification_id: int):
    """Mark one of the user's notifications read, then follow its link (or come back)."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notify:list")
    return HttpResponseRedirect(target)  # a stored path, never a view name


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    if count:
        messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notify:list")


# --- the office: reminder log and the one-click reminder -----------------------------------


def _require_office(user) -> None:
    if not person_of(user).is_office:
        raise PermissionDenied("仅督查室可以催办")


class ReminderFilterSet(BaseFilterSet):
    plan = django_filters.ModelChoiceFilter(label="方案", queryset=Plan.objects.all())
    period_key = django_filters.CharFilter(label="期次", method="by_period")
    kind = django_filters.ChoiceFilter(label="方式", choices=Reminder.Kind.choices)

    class Meta:
        model = Reminder
        fields = ["plan", "period_key", "kind"]

    def by_period(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(period_key__iexact=value) if value else queryset


class ReminderTable(BaseTable):
    sent_at = tables.DateTimeColumn(verbose_name="催办时间", format="Y-m-d H:i")
    plan = tables.Column("方案", accessor="plan__year", order_by=("plan__year", "plan__slug"))
    period_key = tables.Column("期次")
    department = tables.Column(
        "单位", accessor="department__name", order_by=("department__sort_order", "department")
    )
    kind = tables.Column("方式")
    sent_by = tables.Column("催办人", empty_values=(), order_by=("sent_by__username",))
    missing_tasks = tables.Column("未报送任务", attrs={"td": {"class": "num"}})
    recipients = tables.Column("通知人数", attrs={"td": {"class": "num"}})
    delivered = tables.Column("外发", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Reminder
        fields = [
            "sent_at",
            "plan",
            "period_key",
            "department",
            "kind",
            "sent_by",
            "missing_tasks",
            "recipients",
            "delivered",
        ]
        order_by = ("-sent_at",)

    def render_plan(self, record):
        plan = record.plan
        return f"{plan.year}年" if plan.slug == str(plan.year) else f"{plan.year}年 {plan.slug}"

    def value_plan(self, record):
        return self.render_plan(record)

    def render_sent_by(self, record):
        if record.sent_by is None:
            return "自动"
        return record.sent_by.get_full_name() or record.sent_by.get_username()

    def value_sent_by(self, record):
        return self.render_sent_by(record)

    def render_delivered(self, record):
        """Per channel: sent / all, e.g. 群机器人 1/1 · 短信 0/1 (1 失败)."""
        source = reminder_source(record)
        if source not in self.covered:  # one query for the page shown (or the whole export)
            page = getattr(self, "page", None)
            rows = page.object_list if page is not None and not self.exporting else self.rows
            sources = [reminder_source(r.record) for r in rows]
            self.outbound, self.covered = summary(sources), set(sources) | {source}
        return _delivered_text(self.outbound.get(source, {})) or "—"

    def value_delivered(self, record):
        return self.render_delivered(record)

    outbound: dict = {}
    covered: frozenset = frozenset()
    exporting = False


def _delivered_text(channels: dict) -> str:
    parts = []
    for channel, label in OUTBOUND:
        cell = channels.get(channel)
        if not cell:
            continue
        total = sum(cell[s] for s in ("sent", "queued", "failed", "skipped"))
        text = f"{label} {cell['sent']}/{total}"
        if cell["failed"] or cell["skipped"]:
            text += f"（{cell['failed'] + cell['skipped']} 未送达）"
        parts.append(text)
    return " · ".join(parts)


@login_required
@require_GET
def reminder_log(request):
    """Who was reminded when, and, per active plan, the units still missing reports."""
    _require_office(request.user)
    queryset = Reminder.objects.select_related("plan", "department", "sent_by")
    filterset = ReminderFilterSet(request.GET or None, queryset=queryset)
    table = ReminderTable(filterset.qs)
    table.exporting = request.GET.get("_export") == "xlsx"
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "催办记录"):
        return exported
    return render(
        request,
        "reports/reminders.html",
        {"filter": filterset, "table": table, "pending": _pending()},
    )


def _pending() -> list[dict]:
    """Per active plan: its current period and the units missing reports in it."""
    found = []
    for plan in Plan.objects.filter(is_active=True):
        period = reporting.current_period(plan)
        missing = units_missing_reports(plan, period)
        names = Department.objects.in_bulk(list(missing))
        reminded = set(
            Reminder.objects.filter(
                plan=plan, period_key=period.key, kind=Reminder.Kind.MANUAL
            ).values_list("department_id", flat=True)
        )
        units = [
            {
                "department": names[d],
                "missing": len(tasks),
                "numbers": "、".join(t.number for t in tasks[:12])
                + (" 等" if len(tasks) > 12 else ""),
                "reminded": d in reminded,
            }
            for d, tasks in missing.items()
        ]
        found.append(
            {
                "plan": plan,
                "period": period,
                "due": reporting.plan_due_at(plan, period),
                "units": units,
                "to_remind": sum(1 for u in units if not u["reminded"]),
            }
        )
    return found


@login_required
@require_POST
def send_now(request):
    """One click: remind every unit missing reports this period, or the posted `departments`."""
    _require_office(request.user)
    plan = _posted_plan(request)
    if plan is None:
        messages.error(request, "请选择要催办的方案。")
        return redirect("notify:reminders")
    try:
        period = (
            parse_period_key(request.POST["period"], plan.cycle)
            if request.POST.get("period")
            else reporting.current_period(plan)
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("notify:reminders")
    if period not in reporting.open_periods(plan):
        messages.error(request, f"{period.label}已关闭填报，不能催办。")
        return redirect("notify:reminders")
    # The form's "催办所选单位" button posts scope=chosen: with no box ticked it must not
    # fall back to every unit.
    chosen = None
    if "departments" in request.POST or request.POST.get("scope") == "chosen":
        chosen = {int(v) for v in request.POST.getlist("departments") if v.strip().isdigit()}
        if not chosen:
            messages.error(request, "请至少选择一个单位。")
            return redirect("notify:reminders")
    missing = units_missing_reports(plan, period)
    if chosen is not None:
        missing = {d: tasks for d, tasks in missing.items() if d in chosen}
    created = send_reminders(
        plan, period, kind=Reminder.Kind.MANUAL, sent_by=request.user, missing=missing
    )
    already = len(missing) - len(created)
    messages.success(
        request, f"已向 {len(created)} 个单位发送催办；{already} 个单位本期已催办过，未重复发送"
    )
    if chosen is not None and len(chosen) > len(missing):
        messages.info(request, f"{len(chosen) - len(missing)} 个所选单位本期已全部报送，无需催办。")
    return redirect("notify:reminder_result", plan.pk, period.key)


@login_required
@require_GET
def reminder_result(request, plan_id: int, period_key: str):
    """What each reminder of a plan × period reached: per unit and channel, and the units that
    no channel reaches at all (no account, no group robot)."""
    _require_office(request.user)
    plan = get_object_or_404(Plan, pk=plan_id)
    try:
        period = parse_period_key(period_key, plan.cycle)
    except ValueError:
        raise Http404("没有这个期次") from None
    reminders = list(
        Reminder.objects.filter(plan=plan, period_key=period.key)
        .select_related("department", "sent_by")
        .order_by("department__sort_order", "department_id", "kind")
    )
    outbound = summary(reminder_source(r) for r in reminders)
    rows, unreached = [], []
    for reminder in reminders:
        channels = outbound.get(reminder_source(reminder), {})
        cells = [(label, channels.get(channel)) for channel, label in OUTBOUND]
        rows.append({"reminder": reminder, "cells": cells})
        if reminder.recipients == 0 and not channels:
            unreached.append(reminder.department)
    pending = sum(c["queued"] for ch in outbound.values() for c in ch.values())
    context = {
        "plan": plan,
        "period": period,
        "rows": rows,
        "unreached": list(dict.fromkeys(unreached)),
        "pending": pending,
    }
    return render(request, "reports/reminder_result.html", context)


def _posted_plan(request) -> Plan | None:
    """The plan posted as `plan` (its id); without one, the only active plan if there is one."""
    value = request.POST.get("plan", "").strip()
    if value:
        if not value.isdigit():
            raise Http404("没有这个方案")
        return get_object_or_404(Plan, pk=int(value))
    active = list(Plan.objects.filter(is_active=True)[:2])
    return active[0] if len(active) == 1 else None
