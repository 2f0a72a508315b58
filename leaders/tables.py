import django_tables2 as tables

from tasks.tables import LEADERS, TaskTable


class PortfolioTable(TaskTable):
    """A leader's tasks, marked first-listed (第一牵头) or shared (共同牵头)."""

    lead_position = tables.Column("牵头方式", empty_values=(), orderable=False)
    lead_position.prefetch = (LEADERS,)
    plan = tables.Column("方案", accessor="plan__year", order_by=("-plan__year", "sort_order"))

    class Meta(TaskTable.Meta):
        sequence = ("plan", "number", "lead_position", "...")
        exclude = ("section",)
        order_by = ()

    def __init__(self, *args, leader, **kwargs):
        self.leader = leader
        super().__init__(*args, **kwargs)

    def _first_listed(self, record) -> bool:
        links = list(record.leader_links.all())
        return bool(links) and links[0].leader_id == self.leader.pk

    def render_lead_position(self, record):
        if self._first_listed(record):
            return "第一牵头"
        return "共同牵头"

    def value_lead_position(self, record):
        return self.render_lead_position(record)

    def render_plan(self, record):
        return f"{record.plan.year}年"
