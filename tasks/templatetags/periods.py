"""{{ period|period_label }}: tasks.periods.period_label for templates (a Period or its key);
{% plan_options plans plan %} and {% period_options periods period %}: the pickers' options.
"""

import functools
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from tasks.periods import period_label as _label

register = template.Library()

TITLE_CHARS = 24


@register.filter
def period_label(value) -> str:
    return _label(value) if value else ""


def _field(plan, name):
    return plan[name] if isinstance(plan, dict) else getattr(plan, name)


@functools.lru_cache(maxsize=4096)
def _option_title(text: str) -> str:
    """A plan's title as the picker shows it (truncatechars:24), escaped: a pure function of the
    title, worked out once per process (Truncator per option was 1.1 ms of a province
    dashboard's 160 plans; benchmarks/province_pages.py, 2026-12-02)."""
    return escape(text if len(text) <= TITLE_CHARS else Truncator(text).chars(TITLE_CHARS))


@register.simple_tag
def plan_options(plans, plan):
    """<option>s of the plan picker: every plan (Plan instances, or dicts of pk, slug, year and
    title), the page's selected, titles cut as truncatechars:24 cuts them, each value escaped
    as format_html escapes it. A database with a province's 160 county plans made the
    template loop (with truncatechars per option) 9 of the dashboard's 18 ms."""
    chosen = getattr(plan, "pk", None)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(_field(p, "slug")))}"'
            f"{' selected' if _field(p, 'pk') == chosen else ''}>"
            f"{escape(str(_field(p, 'year')))}年 · {_option_title(_field(p, 'title'))}</option>"
            for p in plans
        )
    )


# A period's label is a pure function of the (frozen) Period: worked out once per process.
_period_label = functools.lru_cache(maxsize=1024)(_label)


@register.simple_tag
def period_options(periods, period):
    """<option>s of the period picker (Periods), the page's selected, as the template loop
    wrote them (each value and label escaped, as autoescape does): with the loop, a label
    computed per option, the dashboard's picker (21 weeks) took 0.22 ms of CPU, with this tag
    0.06 (medians of 300 renders, 2026-12-01)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(p.key)}"{" selected" if p == period else ""}>'
            f"{escape(_period_label(p))}</option>"
            for p in periods
        )
    )
