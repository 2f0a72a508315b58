from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.onboarding import (
    OnboardingError,
    create_accounts,
    credentials_workbook,
    read_rows,
    validate,
)


class Command(BaseCommand):
    help = (
        "批量创建账号：xlsx 列为 单位、姓名、用户名、角色、手机。Bulk-create accounts from an xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="账号 xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不创建")
        parser.add_argument(
            "--out", default="initial-passwords.xlsx", help="初始密码 xlsx 输出路径"
        )

    def handle(self, *args, file, dry_run, out, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            validation = validate(read_rows(path.read_bytes()))
        except OnboardingError as error:
            raise CommandError(str(error)) from None
        if validation.errors:
            lines = [f"第 {row} 行：{message}" for row, message in validation.errors]
            raise CommandError("文件有错误，未创建任何账号：\n" + "\n".join(lines))
        for row in validation.rows:
            unit = row.department.name if row.department else "—"
            self.stdout.write(
                f"  第 {row.row} 行：{row.username}（{row.full_name}，{unit}，{row.role_text}）"
            )
        if dry_run:
            self.stdout.write(f"【试运行】检查通过，将创建 {len(validation.rows)} 个账号；未写入。")
            return
        issued = create_accounts(validation)
        credentials_workbook(issued, Path(out))
        self.stdout.write(
            f"已创建 {len(issued)} 个账号；初始密码已写入 {out}（仅此一份，请妥善转交）。"
        )
