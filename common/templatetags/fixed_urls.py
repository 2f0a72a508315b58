"""Paths that are the same on every page of a process, worked out once instead of per page.

`{% fixed_url 'name' %}`: `{% url 'name' %}` for a URL name that takes no arguments. base.html's
menu reversed 16 to 28 such names per page: 19 cost 0.4 ms of CPU by {% url %}, 0.07 by this
(a template of them rendered alone; in base.html, the office's 21: 0.12 -> 0.07 ms with the
node below instead of a simple tag; 2026-12-01). A name without arguments always reverses to
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
from django.utils.html import conditional_escape

register = template.Library()

_paths = {}  # (ROOT_URLCONF, script prefix, name) -> path, escaped
_static = {}  # (STATIC_URL, storage backend, path) -> URL


class FixedURLNode(template.Node):
    """The name is read when the template is compiled and the path kept escaped: no argument
    to resolve and nothing to escape per page (5.8 µs a link as a simple tag, 3.3 so)."""

    def __init__(self, name: str, target: str | None = None):
        self.name = name
        self.target = target

    def render(self, context) -> str:
        key = (settings.ROOT_URLCONF, get_script_prefix(), self.name)
        path = _paths.get(key)
        if path is None:
            path = _paths[key] = conditional_escape(reverse(self.name))
        if self.target:  # {% fixed_url 'name' as var %}, as {% url ... as var %}
            context[self.target] = path
            return ""
        return path


@register.tag
def fixed_url(parser, token):
    bits = token.split_contents()
    target = None
    if len(bits) == 4 and bits[2] == "as":
        bits, target = bits[:2], bits[3]
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            "{% fixed_url %} takes one quoted URL name (and optionally: as name)."
        )
    return FixedURLNode(bits[1][1:-1], target)


@register.simple_tag
def fixed_static(path: str) -> str:
    key = (settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"], path)
    url = _static.get(key)
    if url is None:
        url = _static[key] = static(path)
    return url
