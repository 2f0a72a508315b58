"""The portfolio's table from its kept rows (leaders.portfolio), for each request.

table_html() gives the markup django-tables2 gives PortfolioTable through
templates/common/table.html (the same th and td attributes, data-label, even/odd rows,
escaping), each cell from the function the table's column calls (leaders.tables,
tasks.tables.light_html, tasks.node_display.missed_flag, tasks.deadline_column.deadline_html),
without model instances or a table object per request (zhangya's table: 0.9 ms, where the
table over model instances took some 10 of the page's 29 CPU ms, 2026-12-01).
tests/test_portfolio.py compares it with PortfolioTable's. A portfolio longer than one page
(leaders.views.PER_PAGE) is paged by django-tables2 over the same kept rows (paged_table).
"""

import html
from functools import cache

import django_tables2 as tables
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from common.tables import BaseTable
from tasks.deadline_column import deadline_html
from tasks.node_display import missed_flag
from tasks.tables import light_html

from .tables import PortfolioTable, completion_html


def _text(row, year):  # TaskTable.render_text's link
    return f'<a href="{html.escape(row.url)}">{html.escape(row.short_text)}</a>'


def _light(row, year):
    return light_html(row.status, row.closed_on) + missed_flag(row)


def _completion(row, year):
    return completion_html(row.completion, row.expected, row.status.light)


def _deadline(row, year):
    return conditional_escape(deadline_html(row.deadline, row.extended_deadline, year))


def _plain(name):
    """A text field, escaped as Django's escape() does (it is html.escape(str(text))) but
    without its lazy-string wrapper, as _text: 210 cells a page (zhangya's table 1.26 -> 0.9
    ms with both, 2026-12-01)."""
    return lambda row, year: html.escape(getattr(row, name))


# Each cell's HTML (escaped) from a kept row and the plan's year.

CELLS = {
    "number": _plain("number"),
    "text": _text,
    "light": _light,
    "completion": _completion,
    "deadline": _deadline,
    "lead_position": _plain("lead_position"),
    "lead_units": _plain("lead_units"),
    "latest": _plain("latest"),
    "problems": _plain("problems"),
    "silence": _plain("silence"),
}


@cache
def _layout() -> tuple:
    """PortfolioTable's table attributes and visible columns (name, column, th attributes,
    td attributes with data-label): the structure of a class, read once per process."""
    table = PortfolioTable([], leader=None, states={}, as_of=None)
    columns = tuple(
        (
            c.name,
            c.column,
            format_html("<th {}>{}</th>", c.attrs["th"].as_html(), c.header),
            c.attrs["td"].as_html() + format_html(' data-label="{}"', strip_tags(str(c.header))),
        )
        for c in table.columns
    )
    return table.attrs, columns


def table_html(portfolio, year: int) -> str:
    attrs, columns = _layout()
    head = "".join(th for _, _, th, _ in columns)
    cells = [(CELLS[name], td) for name, _, _, td in columns]
    parts = [f"<table {attrs.as_html()}>\n<thead ><tr>\n{head}\n"]
    parts.append("</tr></thead>\n<tbody >")
    for index, row in enumerate(portfolio.rows):
        parts.append('<tr class="odd">' if index % 2 else '<tr class="even">')
        for cell, td in cells:
            parts.append(f"<td {td}>{cell(row, year)}</td>")
        parts.append("</tr>")
    parts.append("</tbody>\n</table>")
    return mark_safe("".join(parts))


class _KeptColumn(tables.Column):
    def __init__(self, column, cell, year):
        super().__init__(column.verbose_name, attrs=column.attrs, orderable=False, empty_values=())
        self.cell, self.year = cell, year

    def render(self, record):
        return mark_safe(self.cell(record, self.year))  # escaped by the cell


def paged_table(portfolio, year: int) -> BaseTable:
    """PortfolioTable's columns over the kept rows, for django-tables2 to page (configure it
    with RequestConfig)."""
    attrs, columns = _layout()
    return BaseTable(
        list(portfolio.rows),
        attrs=dict(attrs),
        extra_columns=[
            (name, _KeptColumn(column, CELLS[name], year)) for name, column, _, _ in columns
        ],
    )
