"""Demonstration 督办单 (``manage.py setup``'s demo step): the last demo week's proposals, one
yellow and one red notice confirmed, awaiting the lead units' 整改措施.

The red one comes from an overdue node: the demo data has no 严重滞后 task in May, so one
lagging task without nodes gets a node (完成前期手续 by 4月30日 at 40 %) it has missed. Safe
to run twice: with notices on the plan already it does nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from tasks.models import Plan, TaskNode
from tasks.periods import parse_period_key
from tasks.progress import plan_task_states

from . import escalation_flow
from .models import EscalationNotice

RED_NODE = ("完成前期手续", datetime.date(2022, 4, 30), 40)


@transaction.atomic
def create_demo_notices(plan: Plan, period_key: str = "2022-W19") -> list[EscalationNotice]:
    if plan is None or EscalationNotice.objects.filter(plan=plan).exists():
        return []
    office = get_user_model().objects.filter(profile__is_office=True, is_active=True).first()
    period = parse_period_key(period_key)
    today = period.end + datetime.timedelta(days=3)
    found = escalation_flow.triggers(plan, period, today)
    if not found:
        return []
    states = plan_task_states(plan, period.end)
    with_nodes = set(
        TaskNode.objects.filter(task__in=list(found)).values_list("task_id", flat=True)
    )
    red_task = next(
        (t for t in sorted(found) if t not in with_nodes and (states[t].completion or 0) < 40),
        None,
    )
    if red_task is not None:
        description, due, percent = RED_NODE
        TaskNode.objects.create(
            task_id=red_task, due=due, description=description, expected_percent=percent
        )
    proposed = escalation_flow.propose(plan, period, today)
    red = next((n for n in proposed if n.color == EscalationNotice.Color.RED), None)
    yellows = [n for n in proposed if n.color == EscalationNotice.Color.YELLOW]
    # The confirmed yellow one on a task no demo unit account leads: the proposals on the demo
    # units' own tasks stay 待确认, for the office to confirm and the unit to answer.
    reporting_units = set(
        get_user_model()
        .objects.filter(is_active=True, profile__is_reporter=True)
        .values_list("profile__department_id", flat=True)
    )
    yellow = next(
        (n for n in yellows if not reporting_units & set(escalation_flow.lead_unit_ids(n.task_id))),
        yellows[0] if yellows else None,
    )
    if office is None:
        return proposed
    done = []
    if yellow is not None:
        done.append(escalation_flow.confirm(yellow, office, today=today))
    if red is not None:
        done.append(escalation_flow.confirm(red, office, today=today))
    return done
