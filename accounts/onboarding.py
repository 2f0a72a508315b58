"""Bulk onboarding: an xlsx of people (单位, 姓名, 用户名, 角色, 手机) becomes accounts.

Validation covers every row before anything is written; one bad row means nothing is created.
Accounts get one-time passwords that must be changed at first login; the passwords exist only
in the credentials workbook handed back once.
"""

import io
import logging
import secrets
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from common.phones import normalize_phone, phone_problem
from common.xlsx import write_table
from departments.models import Department
from departments.resolver import UnitResolver
from leaders.models import Leader

from . import roles
from .models import Profile

logger = logging.getLogger(__name__)

HEADERS = ["单位", "姓名", "用户名", "角色", "手机"]
CREDENTIAL_HEADERS = ["单位", "姓名", "用户名", "角色", "初始密码"]
MAX_ROWS = 2000
# No look-alike characters (0/O, 1/l/I), so a password read off paper types right.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_USERNAME_ALLOWED = set("abcdefghijklmnopqrstuvwxyz0123456789_.-@")


class OnboardingError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class AccountRow:
    row: int
    unit_name: str
    full_name: str
    username: str
    role_names: list[str]
    phone: str
    roles: set[str] = field(default_factory=set)
    department: Department | None = None
    leader: Leader | None = None

    @property
    def role_text(self) -> str:
        return "、".join(roles.ROLE_LABELS[r] for r in sorted(self.roles))


@dataclass
class Validation:
    rows: list[AccountRow]
    errors: list[tuple[int, str]]  # (row number in the sheet, Chinese message)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def one_time_password() -> str:
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
        # Django's validators want it not entirely numeric; insist on a digit and a letter too.
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def read_rows(data: bytes) -> list[dict]:
    """The data rows of the first sheet, keyed by header, with their sheet row number."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        logger.info("account import: unreadable workbook (%s)", type(error).__name__)
        raise OnboardingError("无法读取文件：请上传 .xlsx 格式的 Excel 文件。") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise OnboardingError(
            f"第 1 行应为表头：{'、'.join(HEADERS)}；缺少：{'、'.join(missing)}。"
        )
    index = {h: header.index(h) for h in HEADERS}
    records = []
    for number, values in enumerate(rows, start=2):
        values = list(values) + [None] * len(header)
        record = {h: _cell_text(values[i]) for h, i in index.items()}
        if not any(record.values()):
            continue
        record["row"] = number
        records.append(record)
        if len(records) > MAX_ROWS:
            raise OnboardingError(f"一次最多导入 {MAX_ROWS} 个账号。")
    workbook.close()
    return records


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed as numbers
    return str(value).strip()


def validate(records: list[dict]) -> Validation:
    resolver = UnitResolver.load()
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    User = get_user_model()
    wanted = [r["用户名"].lower() for r in records]
    taken = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    seen: dict[str, int] = {}
    rows, errors = [], []
    for record in records:
        row = AccountRow(
            row=record["row"],
            unit_name=record["单位"],
            full_name=record["姓名"],
            username=record["用户名"].lower(),
            role_names=[
                p
                for p in record["角色"].replace("，", "、").replace(",", "、").split("、")
                if p.strip()
            ],
            phone=record["手机"],
        )
        problems = _row_problems(row, resolver, leaders, taken, seen)
        errors.extend((row.row, problem) for problem in problems)
        rows.append(row)
    if not records:
        errors.append((1, "文件中没有账号数据。"))
    return Validation(rows=rows, errors=errors)


def _column_limits() -> dict[str, int]:
    """Sheet column -> the longest value its model column stores."""
    User = get_user_model()
    return {
        "姓名": User._meta.get_field("first_name").max_length,
        "用户名": User._meta.get_field("username").max_length,
        "手机": Profile._meta.get_field("phone").max_length,
        "单位": Department._meta.get_field("name").max_length,
    }


def _too_long(row) -> list[str]:
    values = {
        "姓名": row.full_name,
        "用户名": row.username,
        "手机": row.phone,
        "单位": row.unit_name,
    }
    return [
        f"{column}过长（{len(values[column])} 个字符，最多 {limit} 个）"
        for column, limit in _column_limits().items()
        if len(values[column]) > limit
    ]


def _row_problems(row, resolver, leaders, taken, seen) -> list[str]:
    problems = _too_long(row)
    if problems:
        return problems  # the other checks would quote the over-long value back
    if not row.full_name:
        problems.append("姓名不能为空")
    if phone := phone_problem(row.phone):
        problems.append(phone)
    if not row.username:
        problems.append("用户名不能为空")
    elif not set(row.username) <= _USERNAME_ALLOWED:
        problems.append(f"用户名“{row.username}”只能包含字母、数字和 _ . - @")
    elif row.username in taken:
        problems.append(f"用户名“{row.username}”已存在")
    elif row.username in seen:
        problems.append(f"用户名“{row.username}”与第 {seen[row.username]} 行重复")
    else:
        seen[row.username] = row.row
    for name in row.role_names or [""]:
        role = roles.ROLE_BY_LABEL.get(name.strip())
        if role is None or role == roles.ADMIN:
            allowed = "、".join(label for r, label in roles.ROLE_LABELS.items() if r != roles.ADMIN)
            problems.append(f"角色“{name}”无效，应为：{allowed}")
        else:
            row.roles.add(role)
    if row.roles & {roles.UNIT_STAFF, roles.UNIT_HEAD}:
        target = resolver.resolve(row.unit_name) if row.unit_name else None
        if not isinstance(target, Department):
            problems.append(
                f"单位“{row.unit_name}”不存在" if row.unit_name else "填报员和单位负责人须填写单位"
            )
        else:
            row.department = target
    if roles.LEADER in row.roles:
        row.leader = leaders.get(row.full_name)
        if row.leader is None:
            problems.append(f"区领导“{row.full_name}”不在区领导名单中")
        elif row.leader.user_id:
            problems.append(f"区领导“{row.full_name}”已有账号")
    return problems


@transaction.atomic
def create_accounts(validation: Validation, *, changed_by=None) -> list[tuple[AccountRow, str]]:
    """Create every account of a valid file; returns (row, one-time password) pairs."""
    if not validation.ok:
        raise OnboardingError("文件有错误，未创建任何账号。")
    User = get_user_model()
    issued = []
    for row in validation.rows:
        password = one_time_password()
        user = User(username=row.username, first_name=row.full_name)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # A concurrent request (a double click) created it first; this one creates nothing.
            raise OnboardingError(
                f"账号 {row.username} 已存在（可能是重复提交），本次未创建任何账号。"
            ) from None
        profile = Profile(
            user=user,
            department=row.department,
            is_reporter=roles.UNIT_STAFF in row.roles,
            is_unit_head=roles.UNIT_HEAD in row.roles,
            is_office=roles.OFFICE in row.roles,
            phone=normalize_phone(row.phone),
            must_change_password=True,
        )
        profile.save(changed_by=changed_by)
        if row.leader is not None:
            row.leader.user = user
            row.leader.save(changed_by=changed_by)
        issued.append((row, password))
    logger.info(
        "account import: %d accounts created by user %s",
        len(issued),
        getattr(changed_by, "pk", None),
    )
    return issued


def credentials_workbook(issued: list[tuple[AccountRow, str]], path) -> None:
    write_table(
        path,
        sheet_title="初始账号",
        headers=CREDENTIAL_HEADERS,
        rows=(
            [
                row.department.name if row.department else row.unit_name,
                row.full_name,
                row.username,
                row.role_text,
                password,
            ]
            for row, password in issued
        ),
        widths=[28, 12, 18, 20, 16],
    )
