import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from common.tables import BaseTable, DateTimeTextColumn

from .models import WeeklySnapshot


class SnapshotTable(BaseTable):
    plan = tables.Column("方案", accessor="plan__title", order_by=("plan__year", "plan__slug"))
    period_label = tables.Column("期次", order_by=("period_key",))
    generated_at = DateTimeTextColumn(verbose_name="生成时间", format="Y-m-d H:i")
    download = tables.Column("下载", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = WeeklySnapshot
        fields = ["plan", "period_label", "generated_at"]
        order_by = ("-generated_at",)

    def render_download(self, record):
        if not record.file:
            return "—"
        return format_html(
            '<a href="{}">下载 xlsx</a>', reverse("reports:download", args=[record.pk])
        )
