"""Turning a notice into outbound messages: one Delivery row per recipient and channel.

The rows are written in the caller's transaction (beside its in-app notices) and sent by the
Celery job after the commit, never in the web request. A row's key is source + channel +
recipient, unique in the database: the same notice reaches a recipient once on each channel,
however often it is raised.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import jobs, texts
from .channels import ROBOTS
from .models import Delivery, NoticeRule, PersonChannel, SmsGateway, UnitChannel
from .notices import DEFAULTS, EMAIL, NOTICE_LABELS, ROBOT, SMS
from .secrets import mask_phone

logger = logging.getLogger(__name__)
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def enabled_channels(notice_type: str) -> frozenset[str]:
    """The outbound channels the office chose for a notice type (or the defaults)."""
    rule = NoticeRule.objects.filter(notice_type=notice_type).first()
    if rule is None:
        return DEFAULTS[notice_type]
    return frozenset(c for c in (EMAIL, ROBOT, SMS) if getattr(rule, c))


def all_rules() -> dict[str, frozenset[str]]:
    found = dict(DEFAULTS)
    for rule in NoticeRule.objects.all():
        found[rule.notice_type] = frozenset(c for c in (EMAIL, ROBOT, SMS) if getattr(rule, c))
    return found


def mobile_of(user) -> str:
    profile = getattr(user, "profile", None)
    phone = re.sub(r"[\s-]", "", getattr(profile, "phone", "") or "")
    return phone if MOBILE.match(phone) else ""


@dataclass(frozen=True)
class Outbound:
    """One notice for one unit: the parts every channel builds its text from."""

    source: str  # unique per event, e.g. "reminder:12"
    department_id: int | None
    unit_name: str
    users: list
    message: texts.Message
    subject: str
    email_text: str


class Dispatcher:
    """Queues the outbound messages of one kind of notice; loads rules and channels once."""

    def __init__(self, notice_type: str, *, department_ids, users, now):
        if notice_type not in NOTICE_LABELS:
            raise ValueError(f"unknown notice type {notice_type!r}")
        self.notice_type, self.now = notice_type, now
        self.channels = enabled_channels(notice_type)
        self.robots = {}
        if ROBOT in self.channels:
            self.robots = {
                uc.department_id: uc
                for uc in UnitChannel.objects.filter(
                    department_id__in=list(department_ids), robot_kind__in=list(ROBOTS)
                ).exclude(robot_url_sealed="")
            }
        self.sms_users = set()
        if SMS in self.channels and SmsGateway.current().ready:
            self.sms_users = set(
                PersonChannel.objects.filter(user__in=[u.pk for u in users], sms=True).values_list(
                    "user_id", flat=True
                )
            )

    def rows(self, out: Outbound) -> list[Delivery]:
        sender = settings.NOTIFY_SENDER
        common = {
            "source": out.source,
            "notice_type": self.notice_type,
            "department_id": out.department_id,
            "subject": texts.clean(out.subject, 200),
            "created_at": timezone.now(),  # operational time, even when the app runs "as of"
        }
        rows = []
        if out.department_id in self.robots:
            text = texts.robot_text(out.message, sender=sender, site_url=settings.SITE_URL)
            markdown = texts.robot_markdown(out.message, sender=sender, site_url=settings.SITE_URL)
            rows.append(
                Delivery(
                    channel=ROBOT,
                    recipient_key=f"robot:dept:{out.department_id}",
                    label=f"{out.unit_name} 工作群"[:150],
                    text=text,
                    payload={"text": text, "markdown": markdown, "title": out.subject[:60]},
                    **common,
                )
            )
        for user in out.users:
            name = user.get_full_name() or user.get_username()
            if EMAIL in self.channels and user.email:
                rows.append(
                    Delivery(
                        channel=EMAIL,
                        user=user,
                        recipient_key=f"email:{user.email.lower()}"[:150],
                        address=user.email,
                        label=f"{name} {user.email}"[:150],
                        text=out.email_text,
                        **common,
                    )
                )
            phone = mobile_of(user) if user.pk in self.sms_users else ""
            if phone:
                params = texts.sms_params(out.message)
                rows.append(
                    Delivery(
                        channel=SMS,
                        user=user,
                        recipient_key=f"sms:{phone}",
                        address=phone,
                        label=f"{name} {mask_phone(phone)}"[:150],
                        text=texts.sms_text(out.message, sender=sender),
                        payload={"params": params},
                        **common,
                    )
                )
        seen = set()
        for row in rows:
            row.key = f"{row.source}|{row.recipient_key}"[:200]
        return [r for r in rows if not (r.key in seen or seen.add(r.key))]

    def queue(self, out: Outbound) -> list[int]:
        """Write the rows not written before and send them after the commit; their ids."""
        rows = self.rows(out)
        if not rows:
            return []
        keys = [r.key for r in rows]
        existing = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
        new = [r for r in rows if r.key not in existing]
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        ids = list(
            Delivery.objects.filter(
                key__in=[r.key for r in new], state=Delivery.State.QUEUED
            ).values_list("pk", flat=True)
        )
        if ids:
            transaction.on_commit(lambda: jobs.enqueue(ids), robust=True)
        return ids
