"""{% unit_todo_rows table %}: the body of 我的任务's table (tasks.unit_todo_table), a row at a
time from UnitTodoTable.cells(), with the td attributes and data-label of each column worked
out once per table (the columns' attrs are static) and the row's own attributes."""

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def unit_todo_rows(table):
    columns = [
        (
            c.name,
            c.attrs["td"].as_html() + format_html(' data-label="{}"', strip_tags(str(c.header))),
        )
        for c in table.columns
    ]
    parts = []
    for row in table.paginated_rows:
        cells = table.cells(row.record)
        parts.append(f"<tr {row.attrs.as_html()}>")
        parts.extend(f"<td {td}>{cells[name]}</td>" for name, td in columns)
        parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
        )
    return mark_safe("".join(parts))
