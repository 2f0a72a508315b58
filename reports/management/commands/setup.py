"""One command from a fresh clone to a working app: schema, the 2022 plan, demo accounts."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tasks.demo import default_weeks
from tasks.models import Plan, ProgressReport

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "初始化：迁移数据库、载入 2022 年方案与单位名录、创建演示账号和演示进展数据。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="不创建演示账号和演示数据")

    def handle(self, *args, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库结构已就绪。")
        if Plan.objects.exists():
            self.stdout.write("已有方案数据，跳过载入。")
        else:
            fixtures = sorted(str(p) for p in FIXTURES_DIR.glob("*.json"))
            call_command("loaddata", *fixtures, verbosity=0)
            self.stdout.write(f"已载入 {len(fixtures)} 个数据文件：{Plan.objects.count()} 个方案。")
        if not no_demo:
            call_command("create_demo_accounts")
            self._demo_reports()

    def _demo_reports(self):
        plan = Plan.objects.filter(year=2022).first()
        if plan is None or ProgressReport.objects.filter(task__plan=plan, is_demo=True).exists():
            return
        # Through last week: this week stays open for the demo accounts to report.
        weeks = default_weeks(plan) - 1
        if weeks >= 1:
            call_command("demo_progress", "--plan", plan.slug, "--weeks", str(weeks))
