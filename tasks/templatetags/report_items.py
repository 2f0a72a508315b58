"""A report's text, figures and files on every page that shows one, rendered in Python.

`{% report_body report %}` (a ProgressReport or a tasks.history.ReportRow) is the body: 工作进展,
存在问题, 下步打算, 完成进度, the indicator values and the evidence files. `{% report_items rows %}`
is the task page's list of reports, each with its heading and its 记录 link. Through the template
language (an include per report and one inside it, a {% url %} per report and per file, a lookup
per field) the 19 reports of a task page took 2.5 of its 7 ms of rendering; here the URLs are
reversed once per list and the markup is the same (benchmarks/request_costs.py, task 125 as
the office, CPU ms: see tasks.history). Every value is escaped (format_html) and localised
as {{ value }} would be.
"""

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tasks.history import ReportRow
from tasks.periods import period_label

register = template.Library()

_SLOT = 9876543210  # a number no URL prefix contains


def _url_of(name: str) -> str:
    """The URL of `name` with its one integer argument left as {} (reverse() once a list)."""
    return reverse(name, args=[_SLOT]).replace(str(_SLOT), "{}")


def _body(row: ReportRow, attachment_url: str) -> str:
    html = format_html(
        '<dl class="resp">\n'
        '  <dt>工作进展</dt><dd class="pre">{}</dd>\n'
        '  <dt>存在问题</dt><dd class="pre">{}</dd>\n'
        '  <dt>下步打算</dt><dd class="pre">{}</dd>\n'
        "  <dt>完成进度</dt><dd>{}</dd>\n  {}\n  {}\n</dl>\n",
        row.progress or "—",
        row.problems or "—",
        row.next_steps or "—",
        "—" if row.percent is None else f"{localize(row.percent)}%",
        format_html_join(
            "",
            "<dt>{}</dt><dd>{}{}</dd>",
            ((name, localize(actual.normalize()), unit) for name, actual, unit in row.values),
        ),
        format_html(
            "<dt>佐证材料</dt><dd>{}</dd>",
            mark_safe(
                "、".join(
                    format_html('<a href="{}">{}</a>', attachment_url.format(pk), name)
                    for pk, name in row.attachments
                )
            ),
        )
        if row.attachments
        else "",
    )
    return html


@register.simple_tag
def report_body(report) -> str:
    row = report if isinstance(report, ReportRow) else ReportRow.of(report)
    return _body(row, _url_of("tasks:attachment"))


@register.simple_tag
def report_items(rows) -> str:
    """Each report with its heading (period, unit, role, state, 逾期) and its 记录 link."""
    history_url, attachment_url = _url_of("tasks:report_history"), _url_of("tasks:attachment")
    return mark_safe(
        "".join(
            format_html(
                '\n<article class="timeline-item">\n'
                "  <h3>{} · {}（{}）· {}{}\n"
                '    <a class="small" href="{}">记录</a></h3>\n'
                "  {}\n</article>\n\n",
                period_label(row.period_key),
                row.department,
                row.role,
                row.state,
                " · 逾期" if row.is_late else "",
                history_url.format(row.pk),
                _body(row, attachment_url),
            )
            for row in rows
        )
    )
