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
        links = list(record.leader_links.all())
        return "第一牵头" if links and links[0].leader_id == self.leader.pk else "共同牵头"

    def value_lead_position(self, record):
        return self.render_lead_position(record)

    def render_light(self, record):
        state = self.states[record.pk]
        return light_html(state.status, state.closed_on) + missed_flag(state)

    def value_light(self, record):
        return self.states[record.pk].label

    def _numbers(self, record) -> str:
        state = self.states[record.pk]
        done = "—" if state.completion is None else f"{state.completion:.1f}%"
        return f"{done} / {state.expected:.1f}%"

    def render_completion(self, record):
        state = self.states[record.pk]
        bar = progress_bar(state.completion or 0, expected=state.expected, light=state.status.light)
        return format_html(
            '<div class="bar">{}</div><small>{}</small>', mark_safe(bar), self._numbers(record)
        )

    def value_completion_value(self, record):
        return self.states[record.pk].completion

    def value_expected_value(self, record):
        return self.states[record.pk].expected

    def _latest(self, record):
        return self.states[record.pk].latest

    def render_latest(self, record):
        report = self._latest(record)
        return one_line(report.progress) if report else "—"

    def value_latest(self, record):
        report = self._latest(record)
        return report.progress if report else ""

    def render_problems(self, record):
        report = self._latest(record)
        return one_line(report.problems) if report and report.problems else "—"

    def value_problems(self, record):
        report = self._latest(record)
        return report.problems if report else ""

    def _days(self, record) -> int | None:
        report = self._latest(record)
        if report is None or report.submitted_at is None:
            return None
        return max(0, (self.as_of - report.submitted_at.date()).days)

    def render_silence(self, record):
        days = self._days(record)
        return "从未报送" if days is None else f"{days} 天"

    def value_silence(self, record):
        return self.render_silence(record)
