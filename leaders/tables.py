import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common.charts import progress_bar
from tasks.deadline_column import DeadlineColumn
from tasks.node_display import missed_flag
from tasks.tables import TaskTable, light_html


def one_line(text: str, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


# The cells from plain values: the table below and the kept rows (leaders.portfolio) share them.


def lead_position(links, leader_pk: int) -> str:
    """第一牵头 when the leader comes first among the task's lead leaders (links in order)."""
    return "第一牵头" if links and links[0].leader_id == leader_pk else "共同牵头"


def completion_numbers(completion: float | None, expected: float) -> str:
    done = "—" if completion is None else f"{completion:.1f}%"
    return f"{done} / {expected:.1f}%"


def completion_html(completion: float | None, expected: float, light: str) -> str:
    bar = progress_bar(completion or 0, expected=expected, light=light)
    return format_html(
        '<div class="bar">{}</div><small>{}</small>',
        mark_safe(bar),
        completion_numbers(completion, expected),
    )


def latest_text(report) -> str:
    return one_line(report.progress) if report else "—"


def problems_text(report) -> str:
    return one_line(report.problems) if report and report.problems else "—"


def silence_days(report, as_of) -> int | None:
    if report is None or report.submitted_at is None:
        return None
    return max(0, (as_of - report.submitted_at.date()).days)


def silence_text(days: int | None) -> str:
    return "从未报送" if days is None else f"{days} 天"


class PortfolioTable(TaskTable):
    """A leader's tasks, lagging first: light, completion against 序时进度, latest report."""

    lead_position = tables.Column("牵头方式", empty_values=(), orderable=False)
    light = tables.Column("状态", empty_values=(), orderable=False)
    completion = tables.Column(
        "完成/序时", empty_values=(), orderable=False, exclude_from_export=True
    )
    # The file gets the two figures as two number columns (the page shows them as one).
    completion_value = tables.Column("完成进度", empty_values=(), visible=False)
    expected_value = tables.Column("序时进度", empty_values=(), visible=False)
    completion_value.export_kind = expected_value.export_kind = "percent"
    latest = tables.Column("最新进展", empty_values=(), orderable=False)
    problems = tables.Column("存在问题", empty_values=(), orderable=False)
    silence = tables.Column("距上次报送", empty_values=(), orderable=False)
    deadline = DeadlineColumn(orderable=False)

    class Meta(TaskTable.Meta):
        sequence = (
            "number",
            "text",
            "light",
            "completion",
            "completion_value",
            "expected_value",
            "deadline",
            "lead_position",
            "lead_units",
            "latest",
            "problems",
            "silence",
        )
        exclude = ("section", "lead_leaders", "cooperating_units")
        order_by = ()
        orderable = False

    def __init__(self, *args, leader, states, as_of, **kwargs):
        self.leader, self.states, self.as_of = leader, states, as_of
        super().__init__(*args, **kwargs)

    def render_lead_position(self, record):
        return lead_position(list(record.leader_links.all()), self.leader.pk)

    def value_lead_position(self, record):
        return self.render_lead_position(record)

    def render_light(self, record):
        state = self.states[record.pk]
        return light_html(state.status, state.closed_on) + missed_flag(state)

    def value_light(self, record):
        return self.states[record.pk].label

    def render_completion(self, record):
        state = self.states[record.pk]
        return completion_html(state.completion, state.expected, state.status.light)

    def value_completion_value(self, record):
        return self.states[record.pk].completion

    def value_expected_value(self, record):
        return self.states[record.pk].expected

    def _latest(self, record):
        return self.states[record.pk].latest

    def render_latest(self, record):
        return latest_text(self._latest(record))

    def value_latest(self, record):
        report = self._latest(record)
        return report.progress if report else ""

    def render_problems(self, record):
        return problems_text(self._latest(record))

    def value_problems(self, record):
        report = self._latest(record)
        return report.problems if report else ""

    def render_silence(self, record):
        return silence_text(silence_days(self._latest(record), self.as_of))

    def value_silence(self, record):
        return self.render_silence(record)
