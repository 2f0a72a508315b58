"""The body rows of a django-tables2 table, rendered in Python.

Rendering each cell through the template language (a for loop, an attrs lookup and an if per
cell) was about half the time of a 50-row page. This produces the same markup as
django_tables2/table.html's tbody block — cells from the same BoundRow.get_cell (so every
column's render() still decides the HTML), the same td and tr attributes, the same escaping
and localisation as {{ cell }} — with the per-column work done once per table, not per cell.

A cell whose column renders every value (empty_values=()) with a render that names only
`record` (and `table`) and has no link is that call, made directly (the value get_cell() looks
up would be neither passed nor checked); any other cell goes through get_cell().

Still worth it (benchmarks/request_costs.py --compare, page CPU ms, median, 2026-12-01, load
average ~6 on 2 cores, against the stock tbody of django_tables2/table.html with the same
data-label): task list 14.9 vs 36.9 (-22.0), review queue 35.0 vs 99.4 (-64.4), 我的任务 38.0
vs 47.5 (-9.5). It is reached through the documented hook, the table template
(templates/common/table.html's tbody block), and reads only the library's public row and
column API.

Within it, each distinct <tr> is written once per table (_tr) and a str cell is escaped with
html.escape as conditional_escape would (_cell_html): the task list's 50-row table took 3.75
ms of CPU with a format_html per row and conditional_escape per cell, 2.75 this way (the
table rendered 300 times in a loop, median, 2026-12-01); each column's part of a cell looked up
once per table, not per cell, and the direct render called unwrapped: the rows 1.88 -> 1.51 ms
(the same loop).
"""

import html
import inspect

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


def _has_callable(attrs) -> bool:
    return any(
        callable(value) or (isinstance(value, dict) and _has_callable(value))
        for value in attrs.values()
    )


def _dynamic_td(table, bound_column) -> bool:
    """Whether the column's td attributes depend on the row (a callable somewhere in them)."""
    merged = {**dict(table.attrs), **dict(bound_column.column.attrs)}
    return _has_callable({k: merged[k] for k in ("td", "cell") if k in merged})


DIRECT = {"record", "table"}


def _direct_arguments(bound_column) -> list | None:
    """The arguments of a cell that is render(record=…, table=…): the column's render names
    only those, has no link and renders every value (empty_values=()), so the value
    get_cell() would look up is neither passed nor checked (django-tables2's documented
    contract for render_FOO and Column.render). None: the cell goes through get_cell()."""
    if bound_column.column.empty_values or bound_column.link:
        return None
    names = list(inspect.signature(bound_column.render).parameters)
    return names if names and set(names) <= DIRECT else None


def _cell_html(bound_column, cell, context) -> str:
    if bound_column.localize is None:
        if isinstance(cell, str):  # what render_value_in_context does with a str
            if not context.autoescape:
                return cell
            # conditional_escape, without the lazy-string check of escape (a str is none):
            # Django's escape is html.escape (common/widgets.py).
            return cell.__html__() if hasattr(cell, "__html__") else html.escape(cell)
        return render_value_in_context(cell, context)
    return conditional_escape(str(localize(cell, use_l10n=bool(bound_column.localize))))


def _tr(row, tags: dict) -> str:
    """The row's <tr>: rows with the same attributes (most differ only in even/odd) share
    theirs, written once per table."""
    attrs = row.attrs
    try:
        key = tuple(attrs.items())
        tag = tags.get(key)
    except TypeError:  # an unhashable attribute value
        return format_html("<tr {}>", attrs.as_html())
    if tag is None:
        tag = tags[key] = format_html("<tr {}>", attrs.as_html())
    return tag


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    columns = list(table.columns)
    # data-label: the column's header on each cell, shown beside the value when a phone lays
    # the rows out as cards (table.cards in app.css); it costs nothing on a desktop.
    labels = {c.name: format_html(' data-label="{}"', strip_tags(str(c.header))) for c in columns}
    static_td = {
        c.name: c.attrs["td"].as_html() + labels[c.name]
        for c in columns
        if not _dynamic_td(table, c)
    }
    # Per column, once: the direct render (unwrapped from common.tables._presigned: the
    # signature is not asked for here) and whether it takes the table, the static td, the
    # localize setting.
    plan = []
    for c in columns:
        names = _direct_arguments(c)
        render = None if names is None else getattr(c.render, "__wrapped__", c.render)
        with_table = names is not None and "table" in names
        plan.append((c, render, with_table, static_td.get(c.name), c.localize))
    autoescape = context.autoescape
    parts = []
    tags = {}
    for row in table.paginated_rows:
        parts.append(_tr(row, tags))
        record = row.record
        for column, render, with_table, td, localized in plan:
            if render is None:
                cell = row.get_cell(column.name)
            elif with_table:
                cell = render(record=record, table=table)
            else:
                cell = render(record=record)
            if td is None:  # callable attrs see the row, as in BoundRow.items()
                column.current_value, column.current_record = cell, row.record
                td = column.attrs["td"].as_html() + labels[column.name]
            if localized is None and isinstance(cell, str) and autoescape:
                # _cell_html's most common case, inline
                text = cell.__html__() if hasattr(cell, "__html__") else html.escape(cell)
            else:
                text = _cell_html(column, cell, context)
            parts.append(f"<td {td}>{text}</td>")
        parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
        )
    return mark_safe("".join(parts))
