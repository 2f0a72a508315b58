"""One command from a fresh clone to a working app: schema, the 2022 plan, demo accounts.

`setup --district 咸安区` starts an installation for another district instead: the schema and
the district's name, with an empty unit registry, no 东昌府 aliases, no plan and no demo data.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from departments.models import Department, District
from reports.demo_notices import create_demo_notices
from tasks.demo import default_weeks
from tasks.demo.coordination import seed_coordination
from tasks.demo.extensions import add_demo_extensions
from tasks.demo.nodes import add_demo_nodes
from tasks.models import Plan, ProgressReport

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "初始化：迁移数据库、载入 2022 年方案与单位名录、创建演示账号和演示进展数据。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="不创建演示账号和演示数据")
        parser.add_argument(
            "--district",
            help="为东昌府区以外的区县初始化：单位名录为空，不载入东昌府的方案、别名和演示数据",
        )

    def handle(self, *args, no_demo, district, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库结构已就绪。")
        name = (district or "").strip()
        if name and name != District.DEMO_NAME:
            self._start_district(name)
            return
        current = District.current()
        if current is not None and not current.is_demo:
            self.stdout.write(f"本系统已为 {current.name} 初始化，不载入东昌府区的演示数据。")
            return
        if current is None:
            District.objects.create(name=District.DEMO_NAME)
        if Plan.objects.exists():
            self.stdout.write("已有方案数据，跳过载入。")
        else:
            fixtures = sorted(str(p) for p in FIXTURES_DIR.glob("*.json"))
            call_command("loaddata", *fixtures, verbosity=0)
            self.stdout.write(f"已载入 {len(fixtures)} 个数据文件：{Plan.objects.count()} 个方案。")
        if not no_demo:
            call_command("create_demo_accounts")
            self._demo_reports()
            add_demo_extensions()

    def _start_district(self, name: str) -> None:
        if len(name) > 50 or not name.isprintable():
            raise CommandError("区县名称应为 50 字以内的文字")
        current = District.current()
        if current is not None and current.name != name:
            raise CommandError(f"本系统已为 {current.name} 初始化，不能改为 {name}。")
        if current is None:
            if Department.objects.exists() or Plan.objects.exists():
                raise CommandError(
                    "数据库中已有单位或方案数据（东昌府区演示数据？），"
                    "请在空数据库上为新区县初始化。"
                )
            District.objects.create(name=name)
        self.stdout.write(
            f"已为 {name} 初始化：单位名录为空。下一步：python manage.py createsuperuser "
            "创建管理员，再由督查室在“导入方案”中上传分工方案（或 python manage.py import_plan "
            "文件 --dry-run），导入时新建方案中出现的单位，之后可把不同写法合并为别名。"
        )

    def _demo_reports(self):
        plan = Plan.objects.filter(year=2022).first()
        add_demo_nodes(plan)
        if plan is None or ProgressReport.objects.filter(task__plan=plan, is_demo=True).exists():
            return
        # Through last week: this week stays open for the demo accounts to report.
        weeks = default_weeks(plan) - 1
        if weeks >= 1:
            call_command("demo_progress", "--plan", plan.slug, "--weeks", str(weeks))
            seed_coordination(plan)  # 需协调事项 and stale reports (tasks/demo/coordination.py)
            create_demo_notices(plan)  # one yellow, one red 督办单 (reports.demo_notices)
