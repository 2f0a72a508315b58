"""Login throttling: django-axes, with one limit per kind of lock.

Every authentication path goes through axes (its backend comes first in AUTHENTICATION_BACKENDS,
its middleware turns a lock into our lock page), so /login/ and the Django admin's login obey
the same policy. Failures within LOGIN_LOCKOUT_SECONDS of each other count; a lock ends that
long after the last failure that counted (failures during a lock are not counted again).

Three counts, each with its own limit:

- username + address: LOGIN_MAX_FAILURES. One person mistyping locks only that pair, so
  colleagues behind the same office NAT keep logging in, and the person can still log in from
  another address.
- address, across usernames: LOGIN_MAX_FAILURES_PER_ADDRESS (password spraying). Since a pair
  stops counting once it is locked, one person mistyping can never lock the office's address.
- username, across addresses: LOGIN_MAX_FAILURES_PER_USERNAME (guessing from rotating addresses).

axes compares one number with one limit (AXES_FAILURE_LIMIT, the pair limit) for whichever of
its lockout parameters counts most; `PolicyHandler` weighs each count against its own limit so
that this one comparison says "some count has reached its limit". A successful login clears
only the failures of that username from that address (not those of the whole address).
"""

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

PAIR, ADDRESS, USERNAME = "pair", "address", "username"
KIND_LABELS = {PAIR: "账号+地址", ADDRESS: "地址（多个账号）", USERNAME: "账号（多个地址）"}
# Each of settings.AXES_LOCKOUT_PARAMETERS, and the kind of lock it is.
_KIND_OF = {("username", "ip_address"): PAIR, ("ip_address",): ADDRESS, ("username",): USERNAME}


def limits() -> dict[str, int]:
    return {
        PAIR: settings.LOGIN_MAX_FAILURES,
        ADDRESS: settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
        USERNAME: settings.LOGIN_MAX_FAILURES_PER_USERNAME,
    }


def weighted_failures(counts: dict[str, int], limits: dict[str, int]) -> int:
    """The failures to compare with the pair limit: each count scaled to that limit.

    The result reaches limits[PAIR] exactly when some count reaches its own limit
    (floor(c * P / L) >= P  ⇔  c >= L).
    """
    base = limits[PAIR]
    return max((count * base // limits[kind] for kind, count in counts.items()), default=0)


def kind_of(parameter) -> str:
    return _KIND_OF[(parameter,) if isinstance(parameter, str) else tuple(parameter)]


# --- axes callables (named in settings) -------------------------------------------------------


def failure_limit(request=None, credentials=None) -> int:
    return settings.LOGIN_MAX_FAILURES


def cool_off(request=None) -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def normalize_username(username) -> str:
    return str(username or "").replace("\x00", "").strip().lower()[:150]


def username_from(request, credentials=None) -> str:
    """The username a login attempt names, from the credentials or the posted form."""
    if credentials and credentials.get("username") is not None:
        return normalize_username(credentials["username"])
    return normalize_username(request.POST.get("username", "") if request is not None else "")


def valid_ip(text) -> str | None:
    """The address in canonical form, or None for anything that is not an IP address."""
    try:
        return str(ipaddress.ip_address(str(text or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For only when a trusted proxy sets it."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = valid_ip(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0])
        if forwarded:
            return forwarded
    return valid_ip(request.META.get("REMOTE_ADDR")) or "0.0.0.0"


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lock explained, status 429 (for /login/ and the admin alike)."""
    until = timezone.localtime(locked_until(request, credentials))
    messages.error(
        request,
        f"登录失败次数过多，已暂时锁定，请于 {until:%H:%M} 后再试，或联系督查室解锁。",
    )
    response = render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "next": ""},
        status=429,
    )
    add_never_cache_headers(response)
    return response


class PolicyHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per kind of lock (see the module docstring)."""

    def counts(self, request, credentials=None) -> dict[str, int]:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return {
            kind_of(parameter): queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, queryset in zip(parameters, attempts, strict=True)
        }

    def get_failures(self, request, credentials=None) -> int:
        return weighted_failures(self.counts(request, credentials), limits())

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        clear(user.get_username(), request.axes_ip_address)


# --- what the office sees and does ------------------------------------------------------------


def locked_until(request, credentials=None):
    """When the current lock ends at the latest: the last failure counted by each count that
    has reached its limit, plus the cool-off."""
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    policy = limits()
    ends = []
    for parameter, queryset in zip(
        get_lockout_parameters(request, credentials),
        handler.get_user_attempts(request, credentials),
        strict=True,
    ):
        tally = queryset.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if (tally["n"] or 0) >= policy[kind_of(parameter)]:
            ends.append(tally["last"] + cool_off())
    return max(ends) if ends else timezone.now() + cool_off()


def clear(username: str = "", ip_address: str | None = None) -> int:
    """Forget failures of a username (from one address, or all) or of an address; the count."""
    username = normalize_username(username)
    if not username and not ip_address:
        return 0
    return AxesProxyHandler.reset_attempts(ip_address=ip_address or None, username=username or None)


def counting_since(now):
    """The earliest failure that still counts at `now` (LOGIN_LOCKOUT_SECONDS before it)."""
    return now - cool_off()


def current_locks(now=None) -> list[dict]:
    """Locks in force now, each kind with its key, for the office's unlock page (one query)."""
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(attempt_time__gte=counting_since(now)).values_list(
        "username", "ip_address", "failures_since_start", "attempt_time"
    )
    return locks_of(rows)


def locks_of(rows) -> list[dict]:
    """The locks that `rows` of the failures still counting (username, address, failures,
    attempt time) add up to (the dashboard reads the rows with its other live reads)."""
    lockout = cool_off()
    tallies: dict[tuple, dict] = {}
    for username, ip_address, failures, at in rows:
        username, ip_address = username or "", ip_address or ""
        for key in (
            (PAIR, username, ip_address),
            (ADDRESS, "", ip_address),
            (USERNAME, username, ""),
        ):
            entry = tallies.setdefault(key, {"failures": 0, "last": at})
            entry["failures"] += failures
            entry["last"] = max(entry["last"], at)
    limit = limits()
    return [
        {
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "username": username,
            "ip_address": ip_address,
            "failures": entry["failures"],
            "until": entry["last"] + lockout,
        }
        for (kind, username, ip_address), entry in sorted(tallies.items())
        if entry["failures"] >= limit[kind]
    ]
