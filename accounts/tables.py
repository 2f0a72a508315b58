import django_tables2 as tables
from django.contrib.auth import get_user_model

from common.tables import BaseTable, DateTimeTextColumn

from .roles import Person


def _person(record) -> Person:
    return Person(
        user=record,
        profile=getattr(record, "profile", None),
        leader=getattr(record, "leader", None),
    )


class AccountTable(BaseTable):
    username = tables.Column("用户名")
    first_name = tables.Column("姓名")
    department = tables.Column(
        "单位", accessor="profile__department__name", order_by=("profile__department__sort_order",)
    )
    roles = tables.Column("角色", empty_values=(), orderable=False)
    last_login = DateTimeTextColumn(verbose_name="最近登录", format="Y-m-d H:i")
    state = tables.Column("状态", empty_values=(), orderable=False)
    actions = tables.TemplateColumn(
        template_name="accounts/_account_actions.html",
        verbose_name="操作",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "department", "roles", "last_login", "state"]
        order_by = ("username",)

    def render_roles(self, record):
        return "、".join(_person(record).role_labels) or "—"

    def value_roles(self, record):
        return "、".join(_person(record).role_labels)

    def render_state(self, record):
        if not record.is_active:
            return "已停用"
        profile = getattr(record, "profile", None)
        if profile is not None and profile.must_change_password:
            return "待改初始密码"
        return "正常"

    def value_state(self, record):
        return self.render_state(record)
