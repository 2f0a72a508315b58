"""Receivers that turn events of other apps into notifications (nothing imports reports)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from leaders.instructions import published_recipients
from leaders.signals import instruction_published
from tasks.signals import report_returned

from .reminders import notify


def notify_units_of_instruction(sender, instruction, **kwargs):
    task = instruction.task
    notify(
        published_recipients(instruction),
        "instruction",
        f"{instruction.leader.name}对任务 {task.number} 作出批示",
        instruction.text[:300],
        reverse("leaders:instruction_detail", args=[instruction.pk]),
    )


def notify_unit_of_return(sender, report, reason, **kwargs):
    staff = (
        get_user_model()
        .objects.filter(is_active=True, profile__department=report.department_id)
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
    )
    notify(
        staff,
        "returned",
        f"任务 {report.task.number} 的{report.period_key}报告已被退回",
        f"退回原因：{reason}",
        reverse("tasks:report", args=[report.task.plan.slug, report.task.number])
        + f"?period={report.period_key}",
    )


def connect():
    report_returned.connect(notify_unit_of_return, dispatch_uid="reports.notify_unit_of_return")
    instruction_published.connect(
        notify_units_of_instruction, dispatch_uid="reports.notify_units_of_instruction"
    )
