"""Panels of leaders' instructions (批示) on pages of other apps, as template tags.

`{% task_instructions task %}` on a task's page and `{% pending_instructions %}` on a unit's
我的任务: the pages load `instruction_panels` and their views know nothing of instructions
(tasks imports nothing of leaders but its models). Both need `request` in the context.
`{% coordination_todo %}` draws 我的任务's open 需协调事项 ({% coordination_rows %} its items).
"""

import unicodedata
from html import escape  # what django.utils.html.escape returns, without its lazy check

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from leaders.instructions import task_instruction_context
from leaders.unit_panels import unit_pending_context, unit_todo

register = template.Library()


@register.inclusion_tag("leaders/_task_instructions.html", takes_context=True)
def task_instructions(context, task, any_instructions=True):
    """`any_instructions=False`: the task has none (the page knows: no query for them)."""
    request = context["request"]
    return {
        "request": request,
        **task_instruction_context(request.user, task, any_instructions=any_instructions),
    }


@register.inclusion_tag("leaders/_coordination_todo.html", takes_context=True)
def coordination_todo(context):
    """我的任务: the unit's open 需协调事项 (leaders.unit_panels.unit_todo)."""
    request = context["request"]
    return {"request": request, **unit_todo(request.user)}


@register.inclusion_tag("leaders/_pending_instructions.html", takes_context=True)
def pending_instructions(context):
    request = context["request"]
    return {"request": request, **unit_pending_context(request.user)}


@register.simple_tag
def coordination_rows(rows):
    """The <li>s of the 需协调事项 panel (leaders.unit_panels.unit_todo's rows), the markup the
    template loop wrote (tests/test_unit_todo_panels.py; text as truncatechars:50, due as
    date:"n月j日"): fgj's 4 items 0.25 -> 0.02 ms CPU (in-process, 2026-12-01)."""
    parts = []
    for row in rows:
        item, to_act, overdue = row["item"], row["to_act"], row["overdue"]
        if to_act:
            button, source = ("button primary", "答复"), f"{escape(item.department)}请求协调"
        else:
            button, source = ("button", "查看"), f"本单位提出 · {escape(item.kind_label)}"
        parts.append(
            f'\n    <li><a class="{button[0]}" href="{escape(item.url)}">{button[1]}</a>'
            f'\n      <span class="todo-period">{source}</span>'
            f"\n      任务 {escape(item.number)} · {escape(item.state_label)}：{escape(_cut(item.text))}"
            f'\n      <span class="{"overdue-text" if overdue else "muted"}">'
            f"时限 {item.due.month}月{item.due.day}日{'（已超期）' if overdue else ''}</span></li>\n  "
        )
    return mark_safe("".join(parts))


def _cut(text: str) -> str:
    """As truncatechars:50: Truncator walks every character, but a text of 50 or fewer cannot
    be cut (it only comes out NFC-normalized)."""
    if len(text) <= 50:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(50)
