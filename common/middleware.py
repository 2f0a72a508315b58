"""Middleware of our own, both at the edge of every request.

HostileInputMiddleware: requests carrying NUL bytes or undecodable text get a 400 in Chinese.

PostgreSQL cannot store or even compare a text containing NUL, and a path or query value that
is not UTF-8 has no meaning here. Both are refused before any view, form, session lookup or
login throttle sees them, so no later code needs to think about them. Checked: the path, the
query string, cookies, urlencoded and multipart form fields, and uploaded file names.

SecurityHeadersMiddleware: Permissions-Policy, and no caching of anything personal.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

NUL = "\x00"
MESSAGE = "请求中含有无效字符（空字符或无法识别的编码），已拒绝。请检查输入后重试。"


def _undecodable(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _bad_bytes(raw: bytes) -> bool:
    return b"\x00" in raw or _undecodable(raw)


def _wsgi_bytes(value: str) -> bytes:
    # WSGI carries raw request bytes as latin-1 strings (PEP 3333).
    return value.encode("iso-8859-1", errors="replace")


def problem(request) -> str | None:
    """What is wrong with the request, in English for the log; None when it may go on."""
    meta = request.META
    if _bad_bytes(unquote_to_bytes(_wsgi_bytes(meta.get("PATH_INFO", "")))):
        return "path"
    query = _wsgi_bytes(meta.get("QUERY_STRING", "")).replace(b"+", b" ")
    if _bad_bytes(unquote_to_bytes(query)):
        return "query string"
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        return "cookie"
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = meta.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            body = request.body.replace(b"+", b" ")
            if _bad_bytes(unquote_to_bytes(body)):
                return "form body"
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in value for value in values):
                    return "form field"
            for name, files in request.FILES.lists():
                if NUL in name or any(NUL in (upload.name or "") for upload in files):
                    return "file name"
    return None


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = problem(request)
        if found is not None:
            logger.warning("request refused: NUL byte or undecodable text in the %s", found)
            body = render_to_string("400.html", {"message": MESSAGE})
            return HttpResponseBadRequest(body)
        return self.get_response(request)


# The app uses none of these browser features; nothing embedded may ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


# An intranet app: no search engine indexes or follows anything it serves (files included).
X_ROBOTS_TAG = "noindex, nofollow"


class SecurityHeadersMiddleware:
    """Permissions-Policy and `X-Robots-Tag: noindex, nofollow` on every response; `Cache-Control: no-store, private` on every
    response to a logged-in person: pages, evidence files, xlsx and other downloads alike, so
    neither a shared proxy nor the browser's disk keeps them. (The Content-Security-Policy is
    django-csp's, configured in settings.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Robots-Tag", X_ROBOTS_TAG)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
