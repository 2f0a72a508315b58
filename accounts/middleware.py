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
