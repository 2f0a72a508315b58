"""The error summary at the top of a page whose form was refused (WCAG 3.3.1).

`{% invalid_forms as bad %}` finds every bound form or formset in the page's context that has
errors, whatever the view named it; base.html uses it once for the title ("错误：…") and once
for the summary (role="alert", focused by static/js/app.js, a link to each field).
"""

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


def _forms(value):
    if isinstance(value, BaseFormSet):
        yield from value.forms
    elif isinstance(value, BaseForm):
        yield value


def _problems(value) -> list[dict]:
    """[{"href": "#id_x" or "", "text": "字段：错误"}] for one form or formset."""
    found = []
    if isinstance(value, BaseFormSet) and value.is_bound:
        found += [{"href": "", "text": str(e)} for e in value.non_form_errors()]
    for form in _forms(value):
        if not form.is_bound:
            continue
        found += [{"href": "", "text": str(e)} for e in form.non_field_errors()]
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            field = form[name]
            href = f"#{field.id_for_label}" if field.id_for_label and not field.is_hidden else ""
            found += [{"href": href, "text": f"{field.label}：{e}"} for e in errors]
    return found


@register.simple_tag(takes_context=True)
def invalid_forms(context) -> list[dict]:
    problems, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, BaseForm | BaseFormSet) and id(value) not in seen:
            seen.add(id(value))
            problems += _problems(value)
    return problems
