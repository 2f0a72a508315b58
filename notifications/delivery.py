"""Sending one Delivery, once, and reading back what happened (no web request involved).

send_one locks the row and every row of the same recipient created today: two workers never
send the same row, the daily cap per recipient holds under concurrency, and a row that is not
queued any more (sent, failed, skipped) is left alone, so a job run twice sends nothing twice.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .channels import CHANNELS, Outcome
from .models import Delivery
from .secrets import scrub

logger = logging.getLogger(__name__)
State = Delivery.State


def start_of_day(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def send_one(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Try one delivery; returns its state afterwards ("queued" means: try again later)."""
    now = now or timezone.now()
    with transaction.atomic():
        head = Delivery.objects.filter(pk=delivery_id).values("recipient_key", "state").first()
        if head is None:
            return "missing"
        if head["state"] != State.QUEUED:
            return head["state"]
        day = start_of_day(now)
        # Lock this recipient's rows of today, in a fixed order (no deadlock between workers).
        today = list(
            Delivery.objects.select_for_update()
            .filter(
                Q(created_at__gte=day) | Q(sent_at__gte=day), recipient_key=head["recipient_key"]
            )
            .order_by("pk")
            .values_list("pk", "state", "sent_at")
        )
        delivery = Delivery.objects.get(pk=delivery_id)
        if delivery.state != State.QUEUED:
            return delivery.state
        sent_today = sum(1 for pk, state, at in today if state == State.SENT and at and at >= day)
        if sent_today >= settings.NOTIFY_DAILY_CAP:
            delivery.state = State.SKIPPED
            delivery.last_error = f"该接收方今日已收到 {sent_today} 条，达到每日上限"
            delivery.save(update_fields=["state", "last_error"])
            logger.warning("delivery %s skipped: daily cap of %s", delivery_id, delivery.channel)
            return delivery.state
        channel = CHANNELS[delivery.channel]()
        try:
            outcome = channel.send(delivery)
        except Exception as error:  # a bug in a channel must not leave the row half-done
            logger.exception("delivery %s: channel %s raised", delivery_id, delivery.channel)
            outcome = Outcome(False, error=f"{type(error).__name__}", retry=True)
        _record(delivery, outcome, now)
    return delivery.state


def _record(delivery: Delivery, outcome: Outcome, now) -> None:
    delivery.attempts += 1
    delivery.reply = scrub(outcome.reply, outcome.secrets)[:2000]
    delivery.last_error = scrub(outcome.error, outcome.secrets)[:500]
    if outcome.ok:
        delivery.state, delivery.sent_at, delivery.last_error = State.SENT, now, ""
    elif not outcome.retry or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        delivery.state = State.FAILED
    delivery.save(update_fields=["attempts", "reply", "last_error", "state", "sent_at"])
    log = logger.info if outcome.ok else logger.warning
    log(
        "delivery %s %s attempt %s: %s %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        delivery.state,
        delivery.last_error,
    )


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: base × 2^(attempts-1), at most an hour."""
    return min(settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)


def summary(sources) -> dict[str, dict[str, dict]]:
    """source -> channel -> {"sent": n, "queued": n, "failed": n, "skipped": n, "errors": [..]}."""
    found: dict = defaultdict(
        lambda: defaultdict(lambda: {"sent": 0, "queued": 0, "failed": 0, "skipped": 0, "rows": []})
    )
    rows = Delivery.objects.filter(source__in=list(sources)).order_by("pk")
    for row in rows.only("source", "channel", "state", "label", "last_error", "attempts"):
        cell = found[row.source][row.channel]
        cell[row.state] += 1
        cell["rows"].append(row)
    return {source: dict(channels) for source, channels in found.items()}
