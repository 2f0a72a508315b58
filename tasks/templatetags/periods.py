"""{{ period|period_label }}: tasks.periods.period_label for templates (a Period or its key)."""

from django import template

from tasks.periods import period_label as _label

register = template.Library()


@register.filter
def period_label(value) -> str:
    return _label(value) if value else ""
