"""催办 pages: the reminder log, sending (with its confirmation step) and the result."""

import datetime
from urllib.parse import urlencode

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from accounts.roles import can_remind
from common.export import maybe_export
from common.filters import BaseFilterSet
from common.tables import BaseTable, DateTimeTextColumn
from departments.models import Department
from notifications.delivery import summary
from notifications.notices import OUTBOUND
from tasks import clock, reporting
from tasks.models import Plan
from tasks.periods import parse_period_key, period_label

from .models import Reminder, round_label
from .reminders import (
    next_rounds,
    reminder_source,
    send_reminders,
    unit_recipients,
    units_missing_reports,
)

NOTIFICATIONS_PER_PAGE = 30


# --- everybody: my notifications ---------------------------------------------------------------


def _require_office(user) -> None:
    if not can_remind(user):
        raise PermissionDenied("仅督查室可以催办")


class ReminderFilterSet(BaseFilterSet):
    plan = django_filters.ModelChoiceFilter(label="方案", queryset=Plan.objects.all())
    period_key = django_filters.ChoiceFilter(label="期次", choices=(), method="by_period")
    kind = django_filters.ChoiceFilter(label="方式", choices=Reminder.Kind.choices)

    class Meta:
        model = Reminder
        fields = ["plan", "period_key", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The periods reminders were sent for, newest first, as people name them.
        keys = sorted(set(Reminder.objects.values_list("period_key", flat=True)), reverse=True)
        self.filters["period_key"].extra["choices"] = [(k, period_label(k)) for k in keys]

    def by_period(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(period_key__iexact=value) if value else queryset


class ReminderTable(BaseTable):
    sent_at = DateTimeTextColumn(verbose_name="催办时间", format="Y-m-d H:i")
    plan = tables.Column("方案", accessor="plan__year", order_by=("plan__year", "plan__slug"))
    period_key = tables.Column("期次")
    department = tables.Column(
        "单位", accessor="department__name", order_by=("department__sort_order", "department")
    )
    kind = tables.Column("方式")
    round = tables.Column("轮次")
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
            "round",
            "sent_by",
            "missing_tasks",
            "recipients",
            "delivered",
        ]
        order_by = ("-sent_at",)

    def render_period_key(self, record):
        return period_label(record.period_key)

    def value_period_key(self, record):
        return period_label(record.period_key)

    def render_round(self, record):
        return record.round_label

    def value_round(self, record):
        return record.round_label

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
    if exported := maybe_export(request, table, "催办记录", as_of=clock.today()):
        return exported
    return render(
        request,
        "notifications/reminders.html",
        {"filter": filterset, "table": table, "pending": _pending()},
    )


def _pending() -> list[dict]:
    """Per active plan: its current period and the units missing reports in it."""
    found = []
    for plan in Plan.objects.filter(is_active=True):
        period = reporting.current_period(plan)
        missing = units_missing_reports(plan, period)
        names = Department.objects.in_bulk(list(missing))
        rounds = next_rounds(plan, period, Reminder.Kind.MANUAL, list(missing))
        units = [
            {
                "department": names[d],
                "missing": len(tasks),
                "numbers": "、".join(t.number for t in tasks[:12])
                + (" 等" if len(tasks) > 12 else ""),
                "reminded": rounds[d] > 1,
                "last_round": round_label(rounds[d] - 1) if rounds[d] > 1 else "",
                "next_round": round_label(rounds[d]),
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
    """催办: every unit missing reports this period, or the posted `departments`.

    Two steps: the first POST shows what will be sent (how many units and people, the round,
    the units nobody can be reached in) with a field for a message; the second, with
    confirm=1, sends. A unit already reminded by the office this period gets the next round
    (二催、三催), which its notice says."""
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
        word = "尚未开始" if reporting.is_future(plan, period) else "已关闭填报"
        messages.error(request, f"{period_label(period)}{word}，不能催办。")
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
    if not missing:
        messages.info(request, "所选单位本期已全部报送，无需催办。")
        return redirect("notify:reminders")
    # Sent only from the confirmation page: it names the moment it was shown (`seen`), and a
    # unit reminded since then is not reminded again (a resent or doubled confirmation).
    seen = _seen_at(request.POST.get("seen", ""))
    if request.POST.get("confirm") != "1" or seen is None:
        return _confirm(request, plan, period, missing, chosen)
    note = request.POST.get("note", "")
    if len(note) > 500:
        return _confirm(request, plan, period, missing, chosen, error="留言请不超过 500 字。")
    created = send_reminders(
        plan,
        period,
        kind=Reminder.Kind.MANUAL,
        sent_by=request.user,
        missing=missing,
        again=True,
        note=note,
        not_after=seen,
    )
    if not created:
        messages.info(request, "这些单位刚刚已催办过，未重复发送。")
        return redirect("notify:reminder_result", plan.pk, period.key)
    words = sent_words(created)
    (messages.warning if words["unreached"] else messages.success)(request, words["text"])
    url = reverse("notify:reminder_result", args=[plan.pk, period.key])
    return redirect(f"{url}?{urlencode({'at': created[0].sent_at.isoformat()})}")


def _seen_at(value: str):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def sent_words(reminders) -> dict:
    """The result of one send, as the office reads it (never "sent" to units nobody reads)."""
    reached = [r for r in reminders if r.recipients]
    unreached = [r for r in reminders if not r.recipients]
    people = sum(r.recipients for r in reached)
    text = f"已通知 {len(reached)} 个单位（{people} 人）"
    if unreached:
        text += f"，{len(unreached)} 个单位没有可接收通知的账号，请电话催办"
    return {"text": text + "。", "reached": reached, "unreached": unreached, "people": people}


def _confirm(request, plan, period, missing, chosen, error=""):
    """The confirmation page: what a click on 确认发送 will do."""
    recipients = unit_recipients(missing)
    rounds = next_rounds(plan, period, Reminder.Kind.MANUAL, list(missing))
    names = Department.objects.in_bulk(list(missing))
    units = [
        {
            "department": names[d],
            "missing": len(tasks),
            "people": len(recipients.get(d, [])),
            "round": round_label(rounds[d]),
        }
        for d, tasks in missing.items()
    ]
    if error:
        messages.error(request, error)
    context = {
        "plan": plan,
        "period": period,
        "units": units,
        "reached": sum(1 for u in units if u["people"]),
        "people": sum(u["people"] for u in units),
        "unreached": [u for u in units if not u["people"]],
        "rounds": sorted({u["round"] for u in units}, key=lambda w: ROUND_ORDER.get(w, 99)),
        "chosen": sorted(chosen) if chosen is not None else None,
        "seen": clock.now().isoformat(),
        "note": request.POST.get("note", "")[:500],
    }
    return render(request, "reports/reminder_confirm.html", context, status=400 if error else 200)


ROUND_ORDER = {"催办": 1, "二催": 2, "三催": 3}


@login_required
@require_GET
def reminder_result(request, plan_id: int, period_key: str):
    """What each reminder of a plan × period reached: per unit and channel, and the units that
    no account reaches (to phone). ?at= picks one send (the one just made)."""
    _require_office(request.user)
    plan = get_object_or_404(Plan, pk=plan_id)
    try:
        period = parse_period_key(period_key, plan.cycle)
    except ValueError:
        raise Http404("没有这个期次") from None
    reminders = list(
        Reminder.objects.filter(plan=plan, period_key=period.key)
        .select_related("department", "sent_by")
        .order_by("department__sort_order", "department_id", "kind", "round")
    )
    at = _seen_at(request.GET.get("at", ""))
    this_send = [r for r in reminders if at is not None and r.sent_at == at]
    outbound = summary(reminder_source(r) for r in reminders)
    rows = []
    for reminder in reminders:
        channels = outbound.get(reminder_source(reminder), {})
        cells = [(label, channels.get(channel)) for channel, label in OUTBOUND]
        rows.append({"reminder": reminder, "cells": cells})
    shown = this_send or reminders
    pending = sum(c["queued"] for ch in outbound.values() for c in ch.values())
    context = {
        "plan": plan,
        "period": period,
        "rows": rows,
        "words": sent_words(this_send) if this_send else None,
        # Units no account reaches, to phone (a group robot, if set, still got the message).
        "unreached": list(dict.fromkeys(r.department for r in shown if not r.recipients)),
        "pending": pending,
    }
    return render(request, "notifications/reminder_result.html", context)


def _posted_plan(request) -> Plan | None:
    """The plan posted as `plan` (its id); without one, the only active plan if there is one."""
    value = request.POST.get("plan", "").strip()
    if value:
        if not value.isdigit():
            raise Http404("没有这个方案")
        return get_object_or_404(Plan, pk=int(value))
    active = list(Plan.objects.filter(is_active=True)[:2])
    return active[0] if len(active) == 1 else None
