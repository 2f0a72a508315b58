"""Every state-changing POST happens once, however often the browser sends it.

Each POST form carries a one-time token (`{% submit_once %}`, a builtin tag). The middleware
claims the token (a row with a unique token, committed at once) before the view runs. A second
request with the same token — a double click, a resent form, two requests at once — does not
run the view: it waits (a few seconds at most) for the first to finish and is sent where the
first was sent, with a message. When the first fails (a 4xx/5xx or an exception), its token is
given back: the waiting duplicate then runs the view itself, and a corrected form can be sent.

POSTs without a token pass through untouched; the writes themselves are also safe to repeat
(each app's rules: instructions, reports, accounts, roll-ups, reminders), the token spares the
user a second effect and a confusing page.
"""

import datetime
import re
import secrets
import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Submission

FIELD = "_once"
KEEP = datetime.timedelta(days=2)
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
_TOKEN = re.compile(r"[0-9a-f]{32}")
DUPLICATE_MESSAGE = "该操作已提交过一次，未重复执行。"
PENDING_MESSAGE = "该操作正在处理中，请稍后刷新页面查看结果，无需重复提交。"


def new_token() -> str:
    return secrets.token_hex(16)


def _safe(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _claim(request, token: str) -> bool:
    """Insert the token; False when another request holds (or held) it."""
    user = getattr(request, "user", None)
    try:
        with transaction.atomic():
            Submission.objects.create(
                token=token,
                user_id=user.pk if user is not None and user.is_authenticated else None,
                path=request.path[:300],
            )
    except IntegrityError:
        return False
    return True


def _back(request, *urls) -> HttpResponseRedirect:
    for url in (*urls, request.META.get("HTTP_REFERER", "")):
        if _safe(request, url):
            return HttpResponseRedirect(url)
    return HttpResponseRedirect("/")


def forget_old(now: datetime.datetime | None = None) -> int:
    """Drop tokens older than two days (a form left open longer is simply sent again)."""
    cutoff = (now or timezone.now()) - KEEP
    return Submission.objects.filter(created_at__lt=cutoff).delete()[0]


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        try:
            token = request.POST.get(FIELD, "")
        except Exception:
            token = ""
        if not _TOKEN.fullmatch(token):
            return self.get_response(request)
        deadline = time.monotonic() + WAIT_SECONDS
        while not _claim(request, token):
            first = Submission.objects.filter(token=token).first()
            if first is None:
                continue  # the first one failed and gave the token back: run this one
            if first.done:
                messages.info(request, DUPLICATE_MESSAGE)
                return _back(request, first.location)
            if time.monotonic() > deadline:
                messages.info(request, PENDING_MESSAGE)
                return _back(request)
            time.sleep(POLL_SECONDS)
        claimed = Submission.objects.filter(token=token)
        try:
            response = self.get_response(request)
        except BaseException:
            claimed.delete()
            raise
        if response.status_code >= 400:
            claimed.delete()  # nothing (or nothing whole) was done: it may be sent again
        else:
            claimed.update(done=True, location=(response.get("Location") or "")[:500])
        return response
