"""Receivers that turn other apps' signals into notifications (so no lower app imports this one).

Each writes the in-app notices and queues the outbound messages the office chose for the
notice type (notifications.dispatch; by default 批示 and 退回 are in-app only).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from departments.models import Department
from leaders.instructions import published_recipients
from leaders.models import Leader
from leaders.signals import instruction_published
from notifications import notices, texts
from notifications.dispatch import Dispatcher, Outbound, enabled_channels
from tasks import clock
from tasks.periods import period_label
from tasks.signals import (
    closure_step,
    coordination_changed,
    escalation_step,
    extension_moved,
    nodes_decided,
    nodes_proposed,
    report_returned,
    report_submitted,
)

from .models import Notification
from .reminders import notify, queue_outbound


def _by_unit(users) -> dict[int, list]:
    found = defaultdict(list)
    for user in users:
        found[user.profile.department_id].append(user)
    return found


def _queue(notice_type, source, recipients, subject, message_for, email_body, url):
    """Queue the outbound messages of a notice, if the office chose any channel for its type;
    `recipients` is called only then (no query for an in-app-only notice)."""
    if not enabled_channels(notice_type):
        return
    units = _by_unit(recipients())
    users = [u for group in units.values() for u in group]
    dispatcher = Dispatcher(notice_type, department_ids=list(units), users=users, now=clock.now())
    names = dict(Department.objects.filter(pk__in=list(units)).values_list("pk", "name"))
    for department_id, group in units.items():
        name = names.get(department_id, "")
        queue_outbound(
            dispatcher,
            Outbound(
                source=source,
                department_id=department_id,
                unit_name=name,
                users=group,
                message=message_for(name),
                subject=subject,
                email_text=f"{name}：\n\n{email_body}\n\n查看：{url}\n" if name else email_body,
            ),
        )


def notify_units_of_instruction(sender, instruction, **kwargs):
    task = instruction.task
    recipients = published_recipients(instruction)
    title = f"{instruction.leader.name}对任务 {task.number} 作出批示"
    url = reverse("leaders:instruction_detail", args=[instruction.pk])
    notify(recipients, "instruction", title, instruction.text[:300], url)
    _queue(
        notices.INSTRUCTION,
        f"instruction:{instruction.pk}",
        lambda: (
            get_user_model()
            .objects.filter(pk__in=[u.pk for u in recipients])
            .select_related("profile")
        ),
        title,
        lambda unit: texts.Message(
            headline="批示",
            unit=unit,
            body=f"{title}：{instruction.text}",
            numbers=(task.number,),
            path=url,
        ),
        f"{title}：\n{instruction.text}",
        url,
    )


def notify_unit_of_return(sender, report, reason, **kwargs):
    staff = (
        get_user_model()
        .objects.filter(is_active=True, profile__department=report.department_id)
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .select_related("profile")
    )
    title = f"任务 {report.task.number} 的{period_label(report.period_key)}报告已被退回"
    url = (
        reverse("tasks:report", args=[report.task.plan.slug, report.task.number])
        + f"?period={report.period_key}"
    )
    notify(staff, "returned", title, f"退回原因：{reason}", url)
    moment = int(clock.now().timestamp())
    _queue(
        notices.RETURNED,
        f"returned:{report.pk}:{moment}",
        lambda: staff,
        title,
        lambda unit: texts.Message(
            headline="退回",
            unit=unit,
            body=f"{title}，退回原因：{reason}",
            numbers=(report.task.number,),
            period=report.period_key,
            path=url,
        ),
        f"{title}。\n退回原因：{reason}",
        url,
    )


def notify_head_of_submission(sender, report, **kwargs):
    """The unit's heads have a report to 审核 (the one who submitted it is not told)."""
    heads = (
        get_user_model()
        .objects.filter(is_active=True, profile__department=report.department_id)
        .filter(profile__is_unit_head=True)
        .exclude(pk=report.updated_by_id)
    )
    period = period_label(report.period_key)
    title = f"任务 {report.task.number} 的{period}报告已提交，待您审核"
    body = f"{report.department.name}提交了任务 {report.task.number} 的报告。"
    notify(heads, Notification.Kind.OTHER, title, body, reverse("tasks:review"))


def _unit_staff(department_ids):
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__department__in=list(department_ids))
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .select_related("profile")
    )


def notify_of_coordination(sender, item, step, **kwargs):
    """需协调事项: opened or reopened → whoever must act (the leaders, or the named units);
    answered, replied or closed → the unit that raised it."""
    task = item.task
    url = reverse("leaders:coordination_detail", args=[item.pk])
    if step in ("opened", "reopened"):
        leaders = [leader.user for leader in item.leaders.select_related("user") if leader.user]
        units = _unit_staff(item.units.values_list("pk", flat=True))
        recipients = [u for u in leaders if u.is_active] + list(units)
        word = "重新打开" if step == "reopened" else "提出"
        title = f"{item.department.name}{word}{item.get_kind_display()}：任务 {task.number}"
        outbound = list(units)  # leaders have no unit channel: in-app only
    else:
        recipients = list(_unit_staff([item.department_id]))
        title = f"任务 {task.number} 的需协调事项已{item.get_state_display()}"
        outbound = recipients
    notify(recipients, Notification.Kind.OTHER, title, item.text[:300], url)
    _queue(
        notices.COORDINATION,
        f"coordination:{item.pk}:{step}:{int(clock.now().timestamp())}",
        lambda: outbound,
        title,
        lambda unit: texts.Message(
            headline="需协调事项",
            unit=unit,
            body=f"{title}：{item.text}",
            numbers=(task.number,),
            deadline=f"{item.due:%m-%d}",
            path=url,
        ),
        f"{title}。\n{item.text}",
        url,
    )


def notify_office_of_node_proposal(sender, proposal, **kwargs):
    """The office has a lead unit's node plan to approve or refuse."""
    office = get_user_model().objects.filter(is_active=True, profile__is_office=True)
    task = proposal.task
    title = f"任务 {task.number} 的节点计划已报审，待督查室审核"
    url = reverse("tasks:nodes", args=[task.plan.slug, task.number])
    notify(office, Notification.Kind.OTHER, title, title + "。", url)


def notify_proposer_of_node_decision(sender, proposal, **kwargs):
    """The one who proposed a node plan learns whether it stands (and why not)."""
    task = proposal.task
    verdict = "已同意" if proposal.state == "approved" else "未同意"
    title = f"任务 {task.number} 报审的节点计划督查室{verdict}"
    body = title + (f"。理由：{proposal.reason}" if proposal.reason else "。")
    notify([proposal.proposed_by], Notification.Kind.OTHER, title, body, task.get_absolute_url())


def notify_escalation_step(sender, task, step, title, body, url, unit_ids, leader_ids, office,
                           office_leader="", **kwargs):  # fmt: skip
    """A 督办单 was issued, answered or resolved: the lead units' staff and heads, the leaders
    copied (the office's own leader by name) and, for a reply, the office are told in-app."""
    people = Q(pk__in=[])
    if unit_ids:
        people |= Q(profile__department__in=unit_ids) & (
            Q(profile__is_reporter=True) | Q(profile__is_unit_head=True)
        )
    leaders = Q(pk__in=leader_ids) | (Q(name=office_leader) if office_leader else Q(pk__in=[]))
    people |= Q(leader__in=Leader.objects.filter(leaders))
    if office:
        people |= Q(profile__is_office=True)
    users = get_user_model().objects.filter(people, is_active=True).distinct()
    notify(users, Notification.Kind.OTHER, title, body, url)


def notify_next_of_closure(sender, application, step, actor, task=None, **kwargs):
    """办结申请: the office has one to verify, a lead leader one to confirm, or the lead unit
    hears the outcome (closed, returned, reopened). The one who acted is not told."""
    task = task or application.task
    url = reverse("tasks:detail", args=[task.plan.slug, task.number]) + "#closure"
    users = get_user_model().objects.filter(is_active=True)
    if step == "applied":
        recipients = users.filter(Q(profile__is_office=True) | Q(is_superuser=True))
        title, body = f"任务 {task.number} 提交了办结申请，待督查室审核", application.summary[:300]
    elif step == "verified":
        recipients = users.filter(leader__task_links__task=task)
        title, body = f"任务 {task.number} 的办结申请待您确认", application.summary[:300]
    elif step == "closed":
        recipients = _unit_staff([application.department_id])
        title, body = f"任务 {task.number} 已办结（销号）", "该任务不再需要报送进展。"
    elif step == "returned":
        recipients = _unit_staff([application.department_id])
        title = f"任务 {task.number} 的办结申请被退回重办"
        body = f"退回理由：{application.return_reason}"
    else:  # reopened
        recipients = _unit_staff(
            task.unit_links.filter(role="lead").values_list("department_id", flat=True)
        )
        title, body = f"任务 {task.number} 已由督查室重新打开", "请按要求继续报送进展。"
    kind = Notification.Kind.RETURNED if step == "returned" else Notification.Kind.OTHER
    notify(recipients.exclude(pk=actor.pk).distinct(), kind, title, body, url)


def notify_next_of_extension(sender, application, **kwargs):
    """Whoever must act on a deadline extension application next: the unit's heads, the
    office, the task's 牵头领导; once decided, the applicant's unit (staff and heads)."""
    state, task = application.state, application.task
    users = get_user_model().objects.filter(is_active=True)
    if state == "pending_unit":
        users = users.filter(profile__department=application.unit_id, profile__is_unit_head=True)
    elif state == "pending_office":
        users = users.filter(profile__is_office=True)
    elif state == "pending_leader":
        users = users.filter(leader__task_links__task=task)
    else:
        users = users.filter(profile__department=application.unit_id).filter(
            Q(profile__is_reporter=True) | Q(profile__is_unit_head=True)
        )
    what = application.subject
    title = f"任务 {task.number} 的{what}延期申请{application.get_state_display()}"
    if application.is_pending:
        title += "，待您处理"
    body = (
        f"{application.unit.name}申请将{what}由 {application.original_date:%Y-%m-%d} "
        f"延期至 {application.requested_date:%Y-%m-%d}。"
    )
    url = reverse("tasks:extension", args=[application.pk])
    notify(list(users.distinct()), Notification.Kind.OTHER, title, body, url)


def connect():
    closure_step.connect(notify_next_of_closure, dispatch_uid="reports.notify_next_of_closure")
    extension_moved.connect(
        notify_next_of_extension, dispatch_uid="reports.notify_next_of_extension"
    )
    report_returned.connect(notify_unit_of_return, dispatch_uid="reports.notify_unit_of_return")
    report_submitted.connect(
        notify_head_of_submission, dispatch_uid="reports.notify_head_of_submission"
    )
    instruction_published.connect(
        notify_units_of_instruction, dispatch_uid="reports.notify_units_of_instruction"
    )
    coordination_changed.connect(
        notify_of_coordination, dispatch_uid="notifications.notify_of_coordination"
    )
    nodes_proposed.connect(notify_office_of_node_proposal, dispatch_uid="nodes.proposed")
    nodes_decided.connect(notify_proposer_of_node_decision, dispatch_uid="nodes.decided")
    escalation_step.connect(notify_escalation_step, dispatch_uid="reports.notify_escalation_step")
