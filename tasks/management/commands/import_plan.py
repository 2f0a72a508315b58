import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.importer.documents import read_document
from tasks.importer.loader import ImportRefused, load_plan
from tasks.importer.parser import PlanParseError
from tasks.importer.responsibility import choose_leads

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "导入分工方案（.txt/.docx/.xlsx，创建或原地更新）。Import a plan document."

    def add_arguments(self, parser):
        parser.add_argument("path", help="方案文件路径（.txt、.docx 或 .xlsx）")
        parser.add_argument("--year", type=int, help="年度（文件中无法识别时使用）")
        parser.add_argument("--slug", help="方案代码；默认按年度与标题识别同一方案")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的修改，不写入")
        parser.add_argument(
            "--change-year",
            action="store_true",
            help="--year 与文件标明的年度或已导入方案的年度不一致时，仍按 --year 导入",
        )
        parser.add_argument("--strict", action="store_true", help="有无法识别的单位名称时拒绝导入")

    def handle(self, *args, path, year, slug, dry_run, strict, change_year, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            parsed, text = read_document(file.name, file.read_bytes())
            self.open_leads = [t.number for t in parsed.tasks if t.responsible_units]
            doubts = parsed.doubts
            # The browser asks which units lead; here the first listed leads, and says so.
            parsed = choose_leads(parsed, {})
            result = load_plan(
                parsed,
                source_text=text,
                year=year,
                slug=slug,
                dry_run=dry_run,
                strict=strict,
                change_year=change_year,
            )
        except PlanParseError as error:
            logger.warning("import_plan %s refused: %s", path, error.message_en or error)
            raise CommandError(f"{file.name}：{error}；未写入任何内容。") from None
        except ImportRefused as error:
            logger.warning("import_plan %s refused: %s", path, error.message_en)
            raise CommandError(error.message_zh) from None
        self._report(result, parsed)
        for doubt in doubts:
            self.stdout.write(f"  疑问（{doubt.label}）：{doubt}")
        if self.open_leads:
            self.stdout.write(
                "  以下任务的责任单位未注明谁牵头，已按列第一位者牵头处理："
                + "、".join(self.open_leads)
            )

    def _report(self, result, parsed):
        out = self.stdout
        head = "【试运行，未写入】" if result.dry_run else ""
        action = "新建" if result.plan_created else ("更新" if result.plan_updated else "已存在")
        out.write(f"{head}方案 {result.plan_slug}（{parsed.title}）：{action}")
        out.write(
            f"  任务：新建 {len(result.tasks_created)}，更新 {len(result.tasks_updated)}，"
            f"未变 {result.tasks_unchanged}，删除 {len(result.tasks_deleted)}"
        )
        if result.tasks_updated:
            out.write("  更新的任务：" + "、".join(result.tasks_updated))
        if result.tasks_deleted:
            out.write("  删除的任务：" + "、".join(result.tasks_deleted))
        if result.leaders_created:
            out.write("  新建区领导：" + "、".join(result.leaders_created))
        if result.unresolved:
            out.write(f"  无法识别的单位名称 {len(result.unresolved)} 个（将新建单位记录）：")
            for name, numbers in result.unresolved.items():
                out.write(f"    {name}（任务 {'、'.join(numbers)}）")
        for warning in parsed.warnings:
            out.write(f"  提示：{warning}")
        if not result.changed and not result.dry_run:
            out.write("  内容与已导入的一致，未作修改。")
