"""{% submit_once %}: the hidden one-time token of a POST form (common.once)."""

from django import template
from django.utils.html import format_html

from common.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def submit_once():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
