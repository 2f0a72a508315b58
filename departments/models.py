"""Units (单位) and the collective groups plan documents name (区政府各部门（单位） …)."""

from django.conf import settings
from django.db import models


class Department(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", "局委办"
        CENTRE = "centre", "中心"
        TOWN = "town", "镇"
        SUBDISTRICT = "subdistrict", "街道"
        PARTY = "party", "党委部门"
        MASS = "mass", "群团组织"
        OTHER = "other", "其他"

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class DepartmentAlias(models.Model):
    """Another spelling of a department's name: abbreviations, old names, known typos."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="aliases", verbose_name="单位"
    )
    name = models.CharField("别名", max_length=100, unique=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["department", "name"]

    def __str__(self):
        return f"{self.name} → {self.department.name}"


class UnitGroup(models.Model):
    """A collective reference such as 各镇政府（街道办事处）; members are edited by the office."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    members = models.ManyToManyField(
        Department, blank=True, related_name="groups", verbose_name="成员单位"
    )

    class Meta:
        verbose_name = "单位群组"
        verbose_name_plural = "单位群组"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class UnitGroupAlias(models.Model):
    group = models.ForeignKey(
        UnitGroup, on_delete=models.CASCADE, related_name="aliases", verbose_name="群组"
    )
    name = models.CharField("别名", max_length=100, unique=True)

    class Meta:
        verbose_name = "群组别名"
        verbose_name_plural = "群组别名"
        ordering = ["group", "name"]

    def __str__(self):
        return f"{self.name} → {self.group.name}"


class Profile(models.Model):
    """A person's roles and unit. A person may hold several roles (a head who also reports).

    The leader role lives on leaders.Leader.user (this app imports nothing of ours).
    Role and unit changes are written to RoleChange by departments.audit, with who made them.
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

    def __str__(self):
        return f"{self.user} {self.what}: {self.old_value} → {self.new_value}"


class District(models.Model):
    """The district this installation serves (one row). Written by `manage.py setup`.

    An installation for a district other than 东昌府区 (`setup --district 咸安区`) starts with an
    empty unit registry: the first plan import creates the units it names, and the office then
    merges spellings into aliases. The 东昌府 registry and demo are never loaded into it.
    """

    DEMO_NAME = "东昌府区"

    name = models.CharField("区县名称", max_length=50)
    created_at = models.DateTimeField("初始化时间", auto_now_add=True)

    class Meta:
        verbose_name = "区县"
        verbose_name_plural = "区县"

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "District | None":
        return cls.objects.order_by("pk").first()

    @property
    def is_demo(self) -> bool:
        return self.name == self.DEMO_NAME
