"""Panels of leaders' instructions (批示) on pages of other apps, as template tags.

`{% task_instructions task %}` on a task's page and `{% pending_instructions %}` on a unit's
我的任务: the pages load `instruction_panels` and their views know nothing of instructions
(tasks imports nothing of leaders but its models). Both need `request` in the context.
"""

from django import template

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
