import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.xlsx import write_table
from tasks.export import plan_records
from tasks.models import Plan

LEDGER_HEADERS = ["序号", "所属部分", "工作任务", "牵头领导", "牵头单位", "配合单位"]
LEDGER_WIDTHS = [8, 24, 70, 16, 30, 40]


class Command(BaseCommand):
    help = "导出方案：JSON（标准输出）或台账 xlsx。Export a plan as JSON or an xlsx ledger."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="年度或方案代码")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--out", help="xlsx 输出文件路径")

    def handle(self, *args, plan, format, out, **options):
        try:
            found = Plan.objects.by_key(plan)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned) as error:
            raise CommandError(str(error)) from None
        records = plan_records(found)
        if format == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=1))
            return
        if not out:
            raise CommandError("导出 xlsx 需要 --out 文件路径")
        rows = (
            [
                r["number"],
                r["section"],
                r["text"],
                "、".join(r["lead_leaders"]),
                "、".join(r["lead_units"]),
                "、".join(r["cooperating_units"]),
            ]
            for r in records
        )
        write_table(
            Path(out),
            sheet_title=f"{found.year}台账",
            headers=LEDGER_HEADERS,
            rows=rows,
            widths=LEDGER_WIDTHS,
        )
        self.stderr.write(f"已写入 {out}（{len(records)} 项任务）")
