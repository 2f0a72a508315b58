"""我的任务's filter bar: TaskFilterSet drawn from kept options, narrowing only when asked.

The selects' options (the plan's sections, leaders and units) are kept with the unit's rows
(tasks.unit_figures.plan_rows, from options_of) as (value, label) strings and drawn by
KeptSelect; the querysets that check a chosen value are built only when a select has one, and
the tasks are filtered in the database only when something is chosen. With nothing chosen (a
unit's start page) the bar is drawn without the filter set at all (filter_bar, UnchosenBar).
"""

from html import escape  # what django.utils.html.escape returns, without its lazy check

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common.widgets import FastSelect

from .filters import TaskFilterSet

CHOICE_FILTERS = ("section", "leader", "lead_unit", "unit")


def options_of(plan) -> dict[str, list[tuple[str, str]]]:
    """Each select's options as TaskFilterSet draws them, as strings (4 queries)."""
    fields = TaskFilterSet(plan=plan).form.fields
    return {
        name: [(str(value), str(label)) for value, label in fields[name].choices]
        for name in CHOICE_FILTERS
    }


class KeptSelect(FastSelect):
    """FastSelect's markup (django/forms/widgets/select.html) for options given as plain
    (value, label) strings: one f-string per option instead of format_html and Django's
    option dicts. The filter bar's four selects (about 200 options) took 1.3 ms CPU through
    FastSelect and take 0.4 this way (benchmarks/request_costs.py, 2026-12-01)."""

    def __init__(self, attrs=None, options=()):
        super().__init__(attrs)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        parts = [format_html('<select name="{}"', name)]
        for key, item in self.build_attrs(self.attrs, attrs).items():
            if item is True:
                parts.append(format_html(" {}", key))
            elif item is not False:
                parts.append(format_html(' {}="{}"', key, item))
        parts.append(">")
        selected = False  # one option selected, the first that matches (Select.optgroups)
        for option, label in self.options:
            mark = ""
            if not selected and option in chosen:
                mark, selected = " selected", True
            parts.append(f'<option value="{escape(option)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))


class UnitTodoFilterSet(TaskFilterSet):
    """TaskFilterSet whose selects draw the kept `options` (options_of): no query to draw
    them. A value chosen is still checked against the field's queryset (one query each)."""

    def __init__(self, data, *, plan, options):
        super().__init__(data, plan=plan)
        for name in CHOICE_FILTERS:
            # The filter's field is built with this widget (as BaseFilterSet's empty_label).
            self.filters[name].extra["widget"] = KeptSelect(options=options[name])

    def plan_querysets(self, plan) -> dict:
        # Needed only to check a value chosen (the options are kept): building them is most
        # of a filter bar's cost (0.85 of 1.5 ms CPU), so only when a select has a value.
        if not any(self.data.get(name) for name in CHOICE_FILTERS):
            return {}
        return super().plan_querysets(plan)

    def chosen_ids(self, tasks) -> set[int] | None:
        """The ids of the tasks `tasks()` (a queryset) the filters let through; None when
        nothing is chosen (every task passes). Like FilterSet.qs, it validates the form and
        filters on the valid fields."""
        if not self.is_bound:
            return None
        self.errors  # noqa: B018 (validates the form)
        if all(value in (None, "") for value in self.form.cleaned_data.values()):
            return None
        return set(self.filter_queryset(tasks()).values_list("pk", flat=True))


FILTERS = tuple(TaskFilterSet.base_filters)  # q, then CHOICE_FILTERS: the bar's order


def filter_bar(data, *, plan, options):
    """The bar for the request's GET `data`: UnitTodoFilterSet when a filter has a value, else
    UnchosenBar (the same markup: tests/test_unit_todo_filters.py)."""
    if data and any(data.get(name) for name in FILTERS):
        return UnitTodoFilterSet(data, plan=plan, options=options)
    return UnchosenBar(options)


class _Field:
    """A field of the bar as my_tasks.html reads it: {{ field.label }} {{ field }}."""

    def __init__(self, label: str, html: str):
        self.label, self.html = label, mark_safe(html)

    def __html__(self) -> str:
        return self.html

    __str__ = __html__


class UnchosenBar:
    """The filter bar with nothing chosen, as UnitTodoFilterSet's form renders it unbound (or
    bound to empty values): a text input and the kept selects on their empty option, each
    with the form's id (auto_id "id_%s"), built without the filter set, its form and the text
    input's templates. 我的任务 (fgj, in-process, requests interleaved with and without it):
    10.40 -> 9.49 ms CPU (2026-12-01)."""

    def __init__(self, options):
        filters = TaskFilterSet.base_filters
        self.form = [_Field(filters["q"].label, '<input type="text" name="q" id="id_q">')]
        self.form += [
            _Field(
                filters[name].label,
                KeptSelect(options=options[name]).render(name, None, {"id": f"id_{name}"}),
            )
            for name in CHOICE_FILTERS
        ]

    def chosen_ids(self, tasks) -> None:
        return None  # every task passes
