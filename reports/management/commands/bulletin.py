import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import bulletin_archive
from reports.bulletin import bulletin_period
from reports.bulletin_doc import write_bulletin
from reports.models import Bulletin
from tasks import clock
from tasks.models import Plan
from tasks.periods import MONTHLY, WEEKLY


class Command(BaseCommand):
    help = "生成督查通报 docx（与网页签发同一套代码）；--issue 同时编号存档。"

    def add_arguments(self, parser):
        parser.add_argument("plan", help="年度或方案代码")
        parser.add_argument("--period", required=True, help="周次 2022-W20，或月份 2022-05")
        parser.add_argument("--out", required=True, help="输出 docx 文件路径")
        parser.add_argument("--number", help="期号（默认为下一期）")
        parser.add_argument("--requirements", help="下步要求（默认为标准段落）")
        parser.add_argument("--issue", action="store_true", help="编号签发并存档")

    def handle(self, *args, plan, period, out, number, requirements, issue, **options):
        try:
            found = Plan.objects.by_key(plan)
            kind = WEEKLY if "W" in period.upper() else MONTHLY
            chosen = bulletin_period(found, kind, period)
            defaults = bulletin_archive.default_form(found)
            data = {
                "number": number or "",
                "requirements": defaults.requirements if requirements is None else requirements,
                "copy_to": defaults.copy_to,
                "send_to": defaults.send_to,
            }
            form = bulletin_archive.clean_issue_form(found, data)
        except (Plan.DoesNotExist, Plan.MultipleObjectsReturned, ValueError) as error:
            raise CommandError(str(error)) from None
        except bulletin_archive.IssueError as error:
            raise CommandError(str(error)) from None
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        if issue:
            if Bulletin.objects.filter(plan=found, number=form.number).exists():
                raise CommandError(f"第{form.number}期已被使用，请换一个期号")
            bulletin = Bulletin.objects.create(
                plan=found,
                kind=chosen.kind,
                period_key=chosen.key,
                period_label=chosen.label,
                state=Bulletin.State.ISSUED,
                number=form.number,
                requirements=form.requirements,
                copy_to=form.copy_to,
                send_to=form.send_to,
                issued_at=clock.now(),
            )
            shutil.copyfile(bulletin_archive.write_file(bulletin, chosen), target)
        else:
            write_bulletin(bulletin_archive.content_for(found, chosen, form), target)
        self.stdout.write(
            f"已生成 {found.year}年督查通报第{form.number}期（{chosen.label}）：{target}"
            + ("，已存档" if issue else "")
        )
