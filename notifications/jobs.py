"""Celery jobs of the notifications app: send one outbound message, and sweep the queue."""

import datetime
import logging

from celery import shared_task
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

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
