"""The office dashboard's table rows, rendered in Python from its kept plain values.

The dashboard's tables (报送率 of every unit, the lagging tasks with their 催办 forms, the
changes since last period, the status by section, the stale reports) were about 1,000 template variables a
request, each resolved, localised and escaped by the template engine: the page took 13.2 ms
of CPU with them as template loops over the same kept values, 8.5 ms with these tags
(benchmarks/request_costs.py, in-process median, 2026-12-01).
The rows come out as the template wrote them: the same markup, every text escaped
(html.escape, which django.utils.html.escape applies too), numbers as the template printed
them (str of an int or a float; reports.dashboard_figures formats the percentages), the
forms with the request's CSRF token (django.middleware.csrf.get_token, as {% csrf_token %})
and each its own one-time token (common.once, as {% submit_once %} writes it).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from common.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def unit_rate_rows(units, due_passed) -> str:
    """各单位报送率: one row per unit (reports.dashboard_figures.UnitRate)."""
    return mark_safe(
        "".join(
            f'<tr><td>{escape(u.name)}</td><td class="num">{u.due}</td>'
            f'<td class="num">{u.on_time}</td><td class="num">{u.late}</td>'
            f'<td class="num">{u.missing}</td>'
            f'<td class="num{" rate-low" if due_passed and u.low else ""}">{u.rate}%</td></tr>'
            for u in units
        )
    )


@register.simple_tag(takes_context=True)
def lagging_rows(context, rows, plan, period, reminders_url) -> str:
    """滞后与未报送任务 (reports.dashboard_figures.LaggingRow): each with a 催办 form to its lead
    units, or — when it has none."""
    token = str(context.get("csrf_token") or "")  # what {% csrf_token %} reads
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    hidden = (
        f'<input type="hidden" name="plan" value="{plan.pk}">'
        f'<input type="hidden" name="period" value="{escape(period.key)}">'
        '<input type="hidden" name="scope" value="chosen">'
    )
    once = f'<input type="hidden" name="{FIELD}" value="'  # {% submit_once %}: one per form
    query = f"?period={escape(period.key)}"
    action = escape(reminders_url)
    parts = []
    for r in rows:
        flag = (
            f' <span class="node-state node-missed" title="{escape(r.missed_title)}">'
            f"节点未按期 {r.missed}</span>"
            if r.missed
            else ""
        )
        if r.lead_ids:
            units = "".join(
                f'<input type="hidden" name="departments" value="{d}">' for d in r.lead_ids
            )
            remind = (
                f'<form method="post" action="{action}" class="inline">{csrf}{once}{new_token()}">'
                f'{hidden}{units}<button type="submit">催办</button></form>'
            )
        else:
            remind = "—"
        parts.append(
            f"<tr><td>{escape(r.number)}</td>"
            f'<td><a href="{escape(r.url)}{query}">{escape(r.short_text)}</a></td>'
            f'<td><span class="light light-{r.light} status-{r.status}">{escape(r.label)}</span>'
            f"{flag}</td><td>{escape(r.completion)} / {escape(r.expected)}</td>"
            f"<td>{escape(r.lead_units)}</td><td>{escape(r.lead_leaders)}</td>\n"
            f"    <td>{remind}</td></tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def change_rows(changes) -> str:
    """与上期相比的变化 (reports.dashboard_figures.Change)."""
    return mark_safe(
        "".join(
            f"<tr><td>{escape(c.number)}</td><td>{escape(c.short_text)}</td>"
            f"<td>{escape(c.before)}</td><td>{escape(c.after)}</td>"
            f"<td>{escape(c.new_problems or '—')}</td></tr>\n"
            for c in changes
        )
    )


@register.simple_tag
def section_rows(sections) -> str:
    """各部分任务状态: a section's title and its tasks per status."""
    return mark_safe(
        "".join(
            f"<tr><td>{escape(title)}</td>{''.join(f'<td>{n}</td>' for n in counts)}</tr>"
            for title, counts in sections
        )
    )


@register.simple_tag
def stale_rows(rows) -> str:
    """进展停滞: one row per stale report (tasks.stale.StaleRow). With its rows as a template
    loop, reports/_stale_reports.html took 0.12 ms of CPU for the demo's 4 stale reports, 0.055
    with this tag and its link by {% fixed_url %} (medians of 300 renders, 2026-12-01)."""
    return mark_safe(
        "".join(
            f"<tr><td>{escape(r.number)}</td><td>{escape(r.unit)}</td>"
            f'<td><a href="{escape(r.url)}">{escape(r.progress)}</a></td>'
            f'<td><span class="stale-flag">{escape(r.short)}</span></td></tr>'
            for r in rows
        )
    )
