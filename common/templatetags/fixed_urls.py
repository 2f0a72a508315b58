"""Paths that are the same on every page of a process, worked out once instead of per page.

`{% fixed_url 'name' %}`: `{% url 'name' %}` for a URL name that takes no arguments. base.html's
menu reversed 16 to 28 such names per page (0.3 ms of CPU on a page of base.html alone against
0.03 ms, benchmarks/request_costs.py, 2026-12-01). A name without arguments always reverses to
the same path for a given URLConf and script prefix (SCRIPT_NAME, set per request by Django's
handler and read here with get_script_prefix), so the path is kept under both. Each app
namespace here has one instance, so the current app (`{% url %}` passes the request's) does not
change the result. Names with arguments keep using `{% url %}`.

`{% fixed_static 'path' %}`: `{% static 'path' %}` (django.templatetags.static.static), kept
under STATIC_URL and the static files storage: the manifest storage reads its manifest once per
process, so a path's hashed URL does not change while the process runs. base.html's three cost
0.1 ms of CPU a page (urlsplit, urljoin, the manifest lookup; base.html rendered alone, parts
left out in turn, 2026-12-01).
"""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

register = template.Library()

_paths = {}  # (ROOT_URLCONF, script prefix, name) -> path
_static = {}  # (STATIC_URL, storage backend, path) -> URL


@register.simple_tag
def fixed_url(name: str) -> str:
    key = (settings.ROOT_URLCONF, get_script_prefix(), name)
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = reverse(name)
    return path


@register.simple_tag
def fixed_static(path: str) -> str:
    key = (settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"], path)
    url = _static.get(key)
    if url is None:
        url = _static[key] = static(path)
    return url
