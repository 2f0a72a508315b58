import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .roles import person_of

# Paths a person who must change the password can still reach.
_ALLOWED_NAMES = ("accounts:password_change", "logout", "login")


class ForcePasswordChangeMiddleware:
    """After login with an issued password, every page leads to the password change form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = person_of(user).profile
            if profile is not None and profile.must_change_password:
                allowed = {reverse(name) for name in _ALLOWED_NAMES}
                if request.path not in allowed and not request.path.startswith("/static/"):
                    return redirect("accounts:password_change")
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Idle sessions end SESSION_COOKIE_AGE after the last request, renewed at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page view. Instead, a request renews the expiry only when the last renewal is older than
    SESSION_RENEW_SECONDS: the idle limit then holds to within that minute, and a busy person
    costs one write a minute instead of one per click. Sessions nobody read (anonymous pages,
    static files, the health check) are not touched.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and session.session_key:
            now = int(time.time())
            if session.get(self.KEY, 0) <= now - settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
