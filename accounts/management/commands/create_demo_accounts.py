"""Demo accounts for trying the app out. DEMO ONLY: the passwords are public (README)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Profile
from departments.models import Department
from leaders.models import Leader

# username, password, full name, unit, roles (reporter, head, office), leader name, superuser
DEMO_ACCOUNTS = [
    ("admin", "demo-admin-2022", "系统管理员", None, (), None, True),
    ("ducha", "demo-ducha-2022", "督查室（演示）", None, ("office",), None, False),
    ("zhangya", "demo-leader-2022", "张娅", None, (), "张娅", False),
    ("fgj", "demo-fgj-2022", "发改局填报员（演示）", "区发展和改革局", ("reporter",), None, False),
    (
        "fgj-head",
        "demo-fgjhead-2022",
        "发改局负责人（演示）",
        "区发展和改革局",
        ("head",),
        None,
        False,
    ),
    ("tangyi", "demo-tangyi-2022", "堂邑镇填报员（演示）", "堂邑镇", ("reporter",), None, False),
]


class Command(BaseCommand):
    help = "创建演示账号（仅供演示，密码公开，见 README）。"

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for username, password, full_name, unit, roles, leader_name, superuser in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            user = User(username=username, first_name=full_name)
            user.is_staff = user.is_superuser = superuser
            user.set_password(password)
            user.save()
            department = None
            if unit:
                department = Department.objects.filter(name=unit).first()
                if department is None:
                    raise CommandError(f"演示账号 {username}：单位 {unit} 不存在，请先载入单位名录")
            Profile(
                user=user,
                department=department,
                is_reporter="reporter" in roles,
                is_unit_head="head" in roles,
                is_office="office" in roles,
            ).save()
            if leader_name:
                leader, _ = Leader.objects.get_or_create(name=leader_name)
                leader.user = user
                leader.save()
            self.stdout.write(f"演示账号 {username} 已创建")
