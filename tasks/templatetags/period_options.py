"""The <option>s of the period picker, built in Python: a year has 52 weeks, and a template
loop over them cost more than the rest of the picker on every page that shows one."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from tasks.periods import period_label

SELECTED = mark_safe(" selected")

register = template.Library()


@register.simple_tag
def period_options(periods, selected):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((p.key, SELECTED if p == selected else "", period_label(p)) for p in periods),
    )
