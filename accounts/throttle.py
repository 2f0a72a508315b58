"""Login throttling per username *and* address.

Counting failures per (username, address) pair means a guesser is stopped on one account while
colleagues behind the same office NAT keep logging in. The office can unlock a pair early.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _limits() -> tuple[int, timedelta]:
    return settings.LOGIN_MAX_FAILURES, timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str, ip_address: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this pair ends, or None if it may try now."""
    now = now or timezone.now()
    max_failures, lockout = _limits()
    recent = list(
        LoginFailure.objects.filter(
            username=normalize_username(username), ip_address=ip_address, at__gte=now - lockout
        )
        .order_by("-at")
        .values_list("at", flat=True)[:max_failures]
    )
    if len(recent) < max_failures:
        return None
    return recent[0] + lockout


def record_failure(username: str, ip_address: str) -> None:
    LoginFailure.objects.create(username=normalize_username(username), ip_address=ip_address)


def clear(username: str, ip_address: str | None = None) -> int:
    failures = LoginFailure.objects.filter(username=normalize_username(username))
    if ip_address:
        failures = failures.filter(ip_address=ip_address)
    return failures.delete()[0]


def current_locks(now: datetime | None = None) -> list[dict]:
    """Pairs locked right now, for the office's unlock page."""
    now = now or timezone.now()
    max_failures, lockout = _limits()
    rows = {}
    for username, ip_address, at in LoginFailure.objects.filter(at__gte=now - lockout).values_list(
        "username", "ip_address", "at"
    ):
        entry = rows.setdefault((username, ip_address), {"count": 0, "last": at})
        entry["count"] += 1
        entry["last"] = max(entry["last"], at)
    return [
        {"username": u, "ip_address": ip, "failures": e["count"], "until": e["last"] + lockout}
        for (u, ip), e in sorted(rows.items())
        if e["count"] >= max_failures
    ]


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For only when a trusted proxy sets it."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
