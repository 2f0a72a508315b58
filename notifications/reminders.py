"""催办: reminding units that have not reported, and the in-app notifications behind it.

A reminder is one row per plan × period × unit × kind (a unique constraint), written before
anybody is told: however often a job or the office fires, a unit hears once per kind and period.
In-app notifications are written in the same transaction as the row, and so are the outbound
messages (e-mail, the unit's group robot, SMS: notifications.dispatch), which a Celery job sends
after the commit. A failing channel never touches the in-app notice, and each outbound message
is keyed by the reminder, its channel and recipient, so it goes out once.
"""

import datetime
import logging
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from notifications import notices, texts
from notifications.dispatch import Dispatcher, Outbound
from tasks import clock, reporting
from tasks.duties import plan_duties
from tasks.models import Plan, ProgressReport, Task
from tasks.periods import Period, period_label

from .models import Notification, Reminder, round_label

logger = logging.getLogger(__name__)
Kind = Reminder.Kind
MAX_LISTED_TASKS = 30


def notify(users, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put one notification in each user's notification centre (each user once)."""
    now = clock.now()
    seen, rows = set(), []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                user=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                created_at=now,
            )
        )
    return Notification.objects.bulk_create(rows)


def units_missing_reports(plan: Plan, period: Period) -> dict[int, list[Task]]:
    """department id -> the tasks it owes a report on for the period, in plan order.

    Owed: the unit is an expected reporter (tasks.duties) and has no report that counts
    (submitted, approved or accepted) for the period; drafts and returned reports are owed.
    Units in the order of the registry; inactive units are left out (nobody to remind).
    """
    tasks = list(plan.tasks.all())
    duties = plan_duties(plan, period)
    reported = set(
        ProgressReport.objects.filter(
            task__plan=plan, period_key=period.key, state__in=ProgressReport.State.COUNTED
        ).values_list("task_id", "department_id")
    )
    owed: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        for department_id, _role in duties.get(task.pk, []):
            if (task.pk, department_id) not in reported:
                owed[department_id].append(task)
    if not owed:
        return {}
    active = Department.objects.filter(pk__in=owed, is_active=True).values_list("pk", flat=True)
    return {department_id: owed[department_id] for department_id in active}


def unit_recipients(department_ids) -> dict[int, list]:
    """department id -> its active staff and heads, who receive the unit's reminders."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__department_id__in=list(department_ids))
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .select_related("profile")
        .order_by("pk")
    )
    found: dict[int, list] = defaultdict(list)
    for user in users:
        found[user.profile.department_id].append(user)
    return found


def my_tasks_url(plan: Plan, period: Period) -> str:
    return reverse("tasks:mine") + "?" + urlencode({"plan": plan.slug, "period": period.key})


def send_reminders(
    plan: Plan,
    period: Period,
    *,
    kind: str,
    departments=None,
    sent_by=None,
    missing: dict[int, list[Task]] | None = None,
    now: datetime.datetime | None = None,
    again: bool = False,
    note: str = "",
    not_after: datetime.datetime | None = None,
) -> list[Reminder]:
    """Remind each unit missing reports (or only those of `departments`, ids or objects) once.

    Returns the reminders created now; a unit already reminded with this kind for this period
    is skipped, unless `again` (the office's 二催、三催: the next round, which says so).
    `not_after`: with `again`, a unit reminded after this moment is skipped (the office
    confirmed the round it saw; a resent confirmation does not start one more). `note` is the
    office's optional message, added to every notice. `missing` may pass a
    units_missing_reports() result already computed.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown reminder kind {kind!r}")
    now = now or clock.now()
    note = " ".join(note.split())[:500]
    missing = units_missing_reports(plan, period) if missing is None else missing
    if departments is not None:
        chosen = {int(getattr(d, "pk", d)) for d in departments}
        missing = {d: tasks for d, tasks in missing.items() if d in chosen}
    if not missing:
        return []
    due = reporting.plan_due_at(plan, period)
    url = my_tasks_url(plan, period)
    recipients = unit_recipients(missing)
    names = dict(Department.objects.filter(pk__in=missing).values_list("pk", "name"))
    dispatcher = Dispatcher(
        notices.REMINDER,
        department_ids=list(missing),
        users=[user for users in recipients.values() for user in users],
        now=now,
    )
    rounds = next_rounds(plan, period, kind, list(missing)) if again else {}
    if again and not_after is not None:
        recent = set(
            Reminder.objects.filter(
                plan=plan, period_key=period.key, kind=kind, sent_at__gt=not_after
            ).values_list("department_id", flat=True)
        )
        missing = {d: tasks for d, tasks in missing.items() if d not in recent}
    created = []
    for department_id, tasks in missing.items():
        users = recipients.get(department_id, [])
        number = rounds.get(department_id, 1)
        title, body = _message(plan, period, kind, tasks, due, now, number, note)
        try:
            with transaction.atomic():
                reminder, is_new = Reminder.objects.get_or_create(
                    plan=plan,
                    period_key=period.key,
                    department_id=department_id,
                    kind=kind,
                    round=number,
                    defaults={
                        "sent_at": now,
                        "sent_by": sent_by,
                        "missing_tasks": len(tasks),
                        "recipients": len(users),
                        "note": note,
                    },
                )
                if not is_new:
                    continue
                notify(users, Notification.Kind.REMINDER, title, body, url)
                unit_name = names.get(department_id, "")
                outbound = Outbound(
                    source=reminder_source(reminder),
                    department_id=department_id,
                    unit_name=unit_name,
                    users=users,
                    message=_outbound_message(
                        period, kind, tasks, due, now, unit_name, url, number, note
                    ),
                    subject=title,
                    email_text=_email_text(unit_name, body, url),
                )
                queue_outbound(dispatcher, outbound)
        except IntegrityError:  # a concurrent run created it first: already sent
            continue
        created.append(reminder)
    logger.info(
        "reminders %s %s %s: %d unit(s) reminded, %d already reminded",
        plan.slug,
        period.key,
        kind,
        len(created),
        len(missing) - len(created),
    )
    return created


def next_rounds(plan: Plan, period: Period, kind: str, department_ids) -> dict[int, int]:
    """department id -> the round its next reminder of this kind and period would be."""
    found = dict.fromkeys(department_ids, 1)
    for department_id, number in (
        Reminder.objects.filter(
            plan=plan, period_key=period.key, kind=kind, department_id__in=list(found)
        )
        .values_list("department_id")
        .annotate(last=Max("round"))
    ):
        found[department_id] = number + 1
    return found


def reminder_source(reminder: Reminder) -> str:
    """The key of a reminder's outbound messages (notifications.models.Delivery.source)."""
    return f"reminder:{reminder.pk}"


def queue_outbound(dispatcher: Dispatcher, outbound: Outbound) -> None:
    """Queue the outbound messages in a savepoint: if that fails, the in-app notice stays."""
    try:
        with transaction.atomic():
            dispatcher.queue(outbound)
    except Exception:
        logger.exception("outbound messages of %s could not be queued", outbound.source)


def _outbound_message(
    period, kind, tasks, due, now, unit_name, url, number=1, note=""
) -> texts.Message:
    numbers = tuple(t.number for t in tasks)
    shown = "、".join(numbers[:10]) + (" 等" if len(numbers) > 10 else "")
    due_text = _short_when(due)
    tail = "现已逾期，请尽快补报" if now >= due else "请按时报送"
    body = (
        f"{period.label}尚有 {len(tasks)} 项任务未报送进展（任务编号：{shown}），"
        f"报送截止 {due_text}，{tail}。" + (f"督查室留言：{note}" if note else "")
    )
    return texts.Message(
        headline="提醒" if kind == Kind.BEFORE_DUE else round_label(number),
        unit=unit_name,
        body=body,
        numbers=numbers,
        period=period_label(period).split("（")[0],  # 第20周
        deadline=due_text,
        path=url,
    )


def _short_when(moment: datetime.datetime) -> str:
    moment = timezone.localtime(moment)
    return f"{moment.month}月{moment.day}日{moment:%H:%M}"


def _when(moment: datetime.datetime) -> str:
    moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _message(plan, period, kind, tasks, due, now, number=1, note="") -> tuple[str, str]:
    due_text = _when(due)
    overdue = now >= due
    label = period_label(period)
    if kind == Kind.MANUAL:
        title = f"督查室{round_label(number)}：{label}进展尚未报送"
    elif overdue:
        title = f"催办：{label}进展报送已逾期"
    else:
        title = f"提醒：{label}进展请于{due_text}前报送"
    numbers = "、".join(t.number for t in tasks[:MAX_LISTED_TASKS])
    if len(tasks) > MAX_LISTED_TASKS:
        numbers += " 等"
    deadline = (
        f"报送截止时间为 {due_text}，现已逾期，请尽快补报。"
        if overdue
        else f"报送截止时间为 {due_text}，请按时报送。"
    )
    body = (
        f"{plan.year}年《{plan.title}》{label}，贵单位还有 {len(tasks)} 项任务"
        f"未报送进展（任务编号：{numbers}）。{deadline}"
    )
    if number > 1:
        body = f"这是本期第{number}次催办。" + body
    if note:
        body += f"\n督查室留言：{note}"
    return title, body


def _email_text(unit_name: str, body: str, url: str) -> str:
    link = f"{settings.SITE_URL}{url}" if getattr(settings, "SITE_URL", "") else url
    greeting = f"{unit_name}：\n\n" if unit_name else ""
    return (
        f"{greeting}{body}\n\n"
        f"请登录督查台账，在“我的任务”中填报：{link}\n\n"
        "此邮件由督查台账系统自动发送，请勿直接回复。\n"
    )
