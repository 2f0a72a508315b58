"""Where a `next` parameter may send a person: only to this site (no open redirect)."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate) -> str | None:
    """`candidate` if it is a URL on this host (and https when the request is), else None.

    Django's own check refuses other hosts, schemes and the tricks browsers read as another
    host (`//evil.example`, `/\\evil.example`, control characters).
    """
    if not candidate or not isinstance(candidate, str):
        return None
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else None


def redirect_next(request, candidate, fallback, *args):
    """Go to `candidate` when it is safe (as a path: a `next` is never reversed as a view name),
    else to `fallback` (a URL or a view name with `args`, as django.shortcuts.redirect takes)."""
    target = safe_next(request, candidate)
    if target:
        return HttpResponseRedirect(target)
    return redirect(fallback, *args)
