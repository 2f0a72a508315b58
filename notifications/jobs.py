"""Celery jobs of the notifications app: send one outbound message, sweep the queue, and the
beat's automatic reminders (催办)."""

import datetime
import logging

from celery import shared_task
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from tasks import clock, reporting
from tasks.models import Plan
from tasks.schedule import reminder_setting, roll_up_moment

from . import delivery
from .models import Delivery

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="notifications.jobs.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, BrokerError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=None,
)
def deliver(self, delivery_id: int) -> str:
    """Send one Delivery; on a retryable failure, try again later with a growing backoff.

    Attempts are counted on the row (NOTIFY_MAX_ATTEMPTS), not in the message, so a lost or
    repeated message neither sends twice nor retries forever.
    """
    state = delivery.send_one(delivery_id)
    if state == Delivery.State.QUEUED:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)
        raise self.retry(countdown=delivery.retry_delay(attempts.first() or 1))
    return state


@shared_task(name="notifications.jobs.deliver_queued", acks_late=True)
def deliver_queued() -> int:
    """The beat's sweep: messages queued while the broker was down (or whose job was lost)."""
    ids = due_for_sweep(timezone.now())
    enqueue(ids)
    return len(ids)


def due_for_sweep(now) -> list[int]:
    """Queued messages never tried after 10 minutes, or still queued after 2 hours (their
    retries would have ended long before: the retry message was lost)."""
    never_tried = Q(attempts=0, created_at__lt=now - datetime.timedelta(minutes=10))
    retry_lost = Q(created_at__lt=now - datetime.timedelta(hours=2))
    return list(
        Delivery.objects.filter(never_tried | retry_lost, state=Delivery.State.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


def enqueue(ids) -> None:
    for delivery_id in ids:
        try:
            deliver.delay(delivery_id)
        except BrokerError as error:
            logger.error(
                "broker unavailable, delivery %s waits for the sweep: %s", delivery_id, error
            )
            return


@shared_task(name="notifications.jobs.send_due_reminders", acks_late=True)
def send_due_reminders(kind: str) -> list[int]:
    """The beat's reminders: for each active plan's current period, once its moment has come.

    "before_due" goes out from REMINDER_BEFORE_DUE within the period, "after_due" from
    REMINDER_AFTER_DUE and only once the plan's deadline for the period has passed. A unit is
    reminded at most once per kind and period (notifications.reminders), so the catch-up firings and
    a second run are no-ops. Returns the ids of the reminders created.
    """
    from .reminders import send_reminders  # reminders → dispatch → this module: not at import

    if kind not in ("before_due", "after_due"):
        raise ValueError(f"send_due_reminders: unknown kind {kind!r}")
    at = reminder_setting(kind)
    if at is None:
        return []
    now = clock.now()
    sent = []
    for plan in Plan.objects.filter(is_active=True):
        period = reporting.current_period(plan, now.date())
        if not period.start <= now.date() <= period.end:
            continue  # the plan's year is over (or not begun): nobody is chased for it
        if now < roll_up_moment(period, at):
            continue
        if kind == "after_due" and now <= reporting.plan_due_at(plan, period):
            continue
        reminders = send_reminders(plan, period, kind=kind, now=now)
        sent.extend(r.pk for r in reminders)
    return sent
