"""The 完成时限 column of task tables (task list, portfolio): the original deadline and, once an
extension is approved, the new one beside it (tasks.deadlines). Reads the task row only (the
tables select its plan), so it costs no query."""

import django_tables2 as tables
from django.utils.html import format_html

from .deadlines import deadline_label


def deadline_html(deadline, extended_deadline, year: int) -> str:
    """The cell: the original deadline, and the approved extension beside it (the kept rows of
    the portfolio, leaders.portfolio, call it with plain values)."""
    original = deadline_label(deadline, None, year)
    if extended_deadline is None:
        return original
    return format_html(
        '<span class="deadline-original">{}</span><br><span class="deadline-extended">'
        "延期至 {}</span>",
        original,
        f"{extended_deadline:%Y-%m-%d}",
    )


class DeadlineColumn(tables.Column):
    def __init__(self, verbose_name="完成时限", **kwargs):
        kwargs.setdefault("order_by", ("deadline", "sort_order"))
        kwargs.setdefault("attrs", {"td": {"class": "deadline"}})
        super().__init__(verbose_name, accessor="deadline", empty_values=(), **kwargs)

    def render(self, record):
        return deadline_html(record.deadline, record.extended_deadline, record.plan.year)

    def value(self, record):
        return deadline_label(record.deadline, record.extended_deadline, record.plan.year)
