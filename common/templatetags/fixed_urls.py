"""`{% fixed_url 'name' %}`: `{% url 'name' %}` for a URL name that takes no arguments, reversed
once per process for each script prefix (and URLConf) instead of on every page.

base.html's menu reversed 16 to 28 such names per page (0.3 ms of CPU on /__frame__ against
0.03 ms, benchmarks/request_costs.py, 2026-12-01). A name without arguments always reverses to
the same path for a given URLConf and script prefix (SCRIPT_NAME, set per request by Django's
handler and read here with get_script_prefix), so the path is kept under both. Each app
namespace here has one instance, so the current app (`{% url %}` passes the request's) does not
change the result. Names with arguments keep using `{% url %}`.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse

register = template.Library()

_paths = {}  # (ROOT_URLCONF, script prefix, name) -> path


@register.simple_tag
def fixed_url(name: str) -> str:
    key = (settings.ROOT_URLCONF, get_script_prefix(), name)
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = reverse(name)
    return path
