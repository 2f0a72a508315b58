"""The <option>s of the period picker, built in Python: a year has 52 weeks, and a template
loop over them cost more than the rest of the picker on every page that shows one."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from tasks.periods import parse_period_key

SELECTED = mark_safe(" selected")

register = template.Library()


@register.simple_tag
def period_options(periods, selected):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((p.key, SELECTED if p == selected else "", p.label) for p in periods),
    )


@register.filter
def period_label(key):
    """ "2022-W19" → "2022年第19周（5月9日—5月15日）" for people; an unknown key as it is."""
    try:
        return parse_period_key(str(key)).label
    except ValueError:
        return key
