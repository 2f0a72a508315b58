import time

from django.core.management.base import BaseCommand, CommandError

from tasks.demo import DEMO_USER_NAME, default_weeks, demo_periods, generate_demo
from tasks.models import Plan


class Command(BaseCommand):
    help = (
        "为方案生成演示用的每周进展报告（is_demo=True，不影响正式报告）。"
        "Write demo progress reports for a plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="2022", help="方案代码或年度（默认 2022）")
        parser.add_argument(
            "--weeks",
            type=int,
            help="生成第 1 至第 N 周（默认：到方案年度最后一周；方案年度为今年时到本周）",
        )
        parser.add_argument(
            "--reset", action="store_true", help="先删除该方案的全部演示报告（正式报告不受影响）"
        )

    def handle(self, *args, plan, weeks, reset, **options):
        try:
            the_plan = Plan.objects.by_key(plan)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned) as error:
            raise CommandError(str(error)) from None
        periods = demo_periods(the_plan)
        if weeks is None:
            weeks = default_weeks(the_plan)
            if weeks == 0 and not reset:
                raise CommandError(
                    f"{the_plan.year}年尚未开始，没有可生成的期次；可用 --weeks 指定。"
                )
        if not (0 if reset else 1) <= weeks <= len(periods):
            raise CommandError(
                f"--weeks 应在 1–{len(periods)} 之间（{the_plan.year}年共{len(periods)}期）"
            )

        started = time.monotonic()
        result = generate_demo(the_plan, weeks=weeks, reset=reset)
        seconds = time.monotonic() - started

        out = self.stdout
        unit = "周" if the_plan.cycle == "weekly" else "期"
        span = f"第1—{weeks}{unit}" if weeks else "无"
        out.write(
            f"方案 {the_plan.slug}（{the_plan.year}年）演示报告：{span}，用户“{DEMO_USER_NAME}”"
        )
        if reset:
            out.write("  已按 --reset 先删除原有演示报告")
        out.write(
            f"  新建 {result.created} 份，更新 {result.updated} 份，未变 {result.unchanged} 份，"
            f"删除 {result.deleted} 份"
        )
        if result.skipped_real:
            out.write(f"  已有正式报告、跳过 {result.skipped_real} 份")
        if result.kept_later:
            out.write(
                f"  保留第{weeks}{unit}以后的演示报告 {result.kept_later} 份（如需清除请加 --reset）"
            )
        if result.as_of is not None:
            last = result.periods[-1]
            counts = "，".join(f"{status.label} {n}" for status, n in result.statuses.items())
            out.write(f"  {last.label}任务状态（截至{result.as_of:%Y-%m-%d}）：{counts}")
        out.write(f"  用时 {seconds:.1f} 秒")
