"""A person's roles and unit (Profile) and the audit of their changes (RoleChange).

Login failures are django-axes' (AccessAttempt). Profile and RoleChange came from departments
with their tables (db_table): accounts/0003 and departments/0003 moved them state-only.
"""

from django.conf import settings
from django.db import models

from departments.models import Department


class Profile(models.Model):
    """A person's roles and unit. A person may hold several roles (a head who also reports).

    The leader role lives on leaders.Leader.user. Role and unit changes are written to
    RoleChange by save(), with who made them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="所在单位",
    )
    is_reporter = models.BooleanField("填报员", default=False)
    is_unit_head = models.BooleanField("单位负责人", default=False)
    is_office = models.BooleanField("督查室", default=False)
    phone = models.CharField("手机", max_length=20, blank=True)
    must_change_password = models.BooleanField("下次登录须改密码", default=False)

    # Fields whose changes are audited, with their Chinese labels.
    AUDITED = {
        "department_id": "所在单位",
        "is_reporter": "填报员",
        "is_unit_head": "单位负责人",
        "is_office": "督查室",
    }

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        db_table = "departments_profile"  # the table it had in departments (moved state-only)

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audited_state = instance._audit_state()
        return instance

    def _audit_state(self) -> dict:
        return {name: getattr(self, name) for name in self.AUDITED}

    def save(self, *args, changed_by=None, **kwargs):
        """Save and record every role or unit change, with who made it (None: a script)."""
        before = getattr(self, "_audited_state", None) or {
            "department_id": None,
            "is_reporter": False,
            "is_unit_head": False,
            "is_office": False,
        }
        after = self._audit_state()
        super().save(*args, **kwargs)
        changes = []
        for name, label in self.AUDITED.items():
            if before[name] != after[name]:
                old, new = before[name], after[name]
                if name == "department_id":
                    names = dict(
                        Department.objects.filter(pk__in=[old, new]).values_list("pk", "name")
                    )
                    old, new = names.get(old, ""), names.get(new, "")
                else:
                    old, new = ("是" if old else "否"), ("是" if new else "否")
                changes.append(
                    RoleChange(
                        user_id=self.user_id,
                        changed_by=changed_by,
                        what=label,
                        old_value=old,
                        new_value=new,
                    )
                )
        RoleChange.objects.bulk_create(changes)
        self._audited_state = after


class RoleChange(models.Model):
    """Who changed whose role or unit link, when, from what to what."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name="被修改的账号",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)
    what = models.CharField("项目", max_length=50)
    old_value = models.CharField("原值", max_length=200, blank=True)
    new_value = models.CharField("新值", max_length=200, blank=True)

    class Meta:
        verbose_name = "角色变更记录"
        verbose_name_plural = "角色变更记录"
        ordering = ["-changed_at", "-pk"]
        db_table = "departments_rolechange"  # the table it had in departments (moved state-only)

    def __str__(self):
        return f"{self.user} {self.what}: {self.old_value} → {self.new_value}"
