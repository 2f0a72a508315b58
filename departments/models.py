"""Units (单位) and the collective groups plan documents name (区政府各部门（单位） …)."""

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
