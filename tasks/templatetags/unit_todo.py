"""{% unit_todo_rows table %}: the body of 我的任务's table (tasks.unit_todo_table), a row at a
time from UnitTodoTable.cells(), with the td attributes and data-label of each column worked
out once per table (the columns' attrs are static) and each row's even/odd class."""

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
        # The table sets no row_attrs: a row's attributes are its even/odd class.
        parts.append(f'<tr class="{row.get_even_odd_css_class()}">')
        parts.extend(f"<td {td}>{cells[name]}</td>" for name, td in columns)
        parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
        )
    return mark_safe("".join(parts))
