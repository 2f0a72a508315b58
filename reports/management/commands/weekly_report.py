import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import rollup
from tasks.models import Plan
from tasks.periods import parse_period_key


class Command(BaseCommand):
    help = "同步生成某一周的督查周报 xlsx（与定时任务同一套代码）。"

    def add_arguments(self, parser):
        parser.add_argument("plan", help="年度或方案代码")
        parser.add_argument("--week", required=True, help="周次，如 2022-W20")
        parser.add_argument("--out", required=True, help="输出 xlsx 文件路径")

    def handle(self, *args, plan, week, out, **options):
        try:
            found = Plan.objects.by_key(plan)
            period = parse_period_key(week, found.cycle)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned, ValueError) as error:
            raise CommandError(str(error)) from None
        snapshot = rollup.produce(found, period)
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(rollup.workbook_path(found, period), target)
        self.stdout.write(
            f"已生成 {found.year}年 {period.label} 周报：{target}（{snapshot.rows.count()} 项任务）"
        )
