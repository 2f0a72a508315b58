"""Outbound channels: per-type rules, a unit's group robot, a person's SMS, the SMS gateway,
and one row per outbound message (Delivery), sent by notifications.jobs.deliver; the in-app
notification centre (Notification) and the reminder log (Reminder)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from departments.models import Department
from tasks.models import Plan

from . import secrets
from .notices import NOTICE_TYPES, OUTBOUND


class NoticeRule(models.Model):
    """The office's choice of outbound channels for one notice type (in-app is always on)."""

    notice_type = models.CharField("通知类型", max_length=20, choices=NOTICE_TYPES, unique=True)
    email = models.BooleanField("邮件", default=False)
    robot = models.BooleanField("群机器人", default=False)
    sms = models.BooleanField("短信", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "通知渠道规则"
        verbose_name_plural = "通知渠道规则"

    def __str__(self):
        return self.notice_type


class UnitChannel(models.Model):
    """A unit's group robot (企业微信 群机器人 or 钉钉 自定义机器人); URL and secret encrypted."""

    class Kind(models.TextChoices):
        NONE = "", "不使用"
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉自定义机器人"

    class Format(models.TextChoices):
        TEXT = "text", "文本"
        MARKDOWN = "markdown", "Markdown"

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="channel", verbose_name="单位"
    )
    robot_kind = models.CharField("群机器人", max_length=10, choices=Kind.choices, blank=True)
    robot_format = models.CharField(
        "消息格式", max_length=10, choices=Format.choices, default=Format.TEXT
    )
    robot_url_sealed = models.TextField("机器人地址（加密）", blank=True)
    robot_secret_sealed = models.TextField("加签密钥（加密）", blank=True)
    robot_hint = models.CharField("地址提示", max_length=80, blank=True)  # host + last chars
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "单位通知渠道"
        verbose_name_plural = "单位通知渠道"

    def __str__(self):
        return f"{self.department_id} {self.robot_kind}"

    @property
    def has_robot(self) -> bool:
        return bool(self.robot_kind and self.robot_url_sealed)

    def robot_url(self) -> str:
        return secrets.decrypt(self.robot_url_sealed)

    def robot_secret(self) -> str:
        return secrets.decrypt(self.robot_secret_sealed)

    def set_robot(self, kind: str, url: str, secret: str | None) -> None:
        """Store a new robot; secret None keeps the stored one."""
        from urllib.parse import urlsplit

        self.robot_kind = kind
        self.robot_url_sealed = secrets.encrypt(url)
        self.robot_hint = f"{urlsplit(url).hostname} {secrets.mask(url)}"[:80]
        if secret is not None:
            self.robot_secret_sealed = secrets.encrypt(secret)

    def clear_robot(self) -> None:
        self.robot_kind, self.robot_url_sealed, self.robot_secret_sealed = "", "", ""
        self.robot_hint = ""


class PersonChannel(models.Model):
    """A person's SMS opt-in; the number is the 手机 of the account (accounts.Profile)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel"
    )
    sms = models.BooleanField("接收短信", default=False)

    class Meta:
        verbose_name = "个人通知渠道"
        verbose_name_plural = "个人通知渠道"

    def __str__(self):
        return f"{self.user_id} sms={self.sms}"


class SmsGateway(models.Model):
    """The one HTTP SMS gateway (cloud service or a local 短信猫 gateway); pk is always 1."""

    enabled = models.BooleanField("启用短信", default=False)
    url = models.CharField("网关地址", max_length=1000, blank=True)
    account = models.CharField("账号（AppKey）", max_length=100, blank=True)
    password_sealed = models.TextField("密码（加密）", blank=True)
    password_hint = models.CharField("密码提示", max_length=20, blank=True)
    template_id = models.CharField("模板编号", max_length=60, blank=True)
    sign_name = models.CharField("短信签名", max_length=30, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "短信网关"
        verbose_name_plural = "短信网关"

    def __str__(self):
        return self.url

    @classmethod
    def current(cls) -> "SmsGateway":
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def ready(self) -> bool:
        return bool(self.enabled and self.url and self.template_id)

    def password(self) -> str:
        return secrets.decrypt(self.password_sealed)

    def set_password(self, value: str) -> None:
        self.password_sealed = secrets.encrypt(value)
        self.password_hint = secrets.mask(value, 2)


class Delivery(models.Model):
    """One outbound message to one recipient on one channel; `key` makes it happen once."""

    class State(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "失败"
        SKIPPED = "skipped", "未发送（超出每日上限）"

    key = models.CharField("唯一键", max_length=200, unique=True)
    source = models.CharField("来源", max_length=60, db_index=True)  # e.g. reminder:12
    notice_type = models.CharField("通知类型", max_length=20, choices=NOTICE_TYPES)
    channel = models.CharField("渠道", max_length=10, choices=OUTBOUND)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_key = models.CharField("接收方", max_length=150)  # sms:138…, email:…, robot:dept:3
    address = models.CharField("地址", max_length=254, blank=True)  # e-mail or mobile
    label = models.CharField("接收方名称", max_length=150, blank=True)  # masked, for pages
    subject = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("内容")
    payload = models.JSONField("消息参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    reply = models.TextField("网关回复", blank=True)
    created_at = models.DateTimeField("创建时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient_key", "created_at"], name="delivery_recipient_day"),
            models.Index(fields=["state", "created_at"], name="delivery_state"),
        ]

    def __str__(self):
        return self.key


# --- Notifications and reminders (催办) ------------------------------------------------------


class Notification(models.Model):
    """A message in one person's notification centre (the header shows the unread count)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "催办"
        INSTRUCTION = "instruction", "批示"
        RETURNED = "returned", "退回"
        OTHER = "other", "其他"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)  # a path inside this site
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        db_table = "reports_notification"  # the table it had in reports (moved state-only)
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self):
        return f"{self.user_id} {self.title}"


class Reminder(models.Model):
    """One 催办 of one unit for one plan × period × kind; the constraint makes it happen once."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "截止前提醒"
        AFTER_DUE = "after_due", "逾期催办"
        MANUAL = "manual", "督查室催办"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reminders", verbose_name="方案"
    )
    period_key = models.CharField("期次", max_length=10)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="reminders", verbose_name="单位"
    )
    kind = models.CharField("方式", max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField("催办时间")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="催办人",
    )  # None: sent automatically by the beat
    # 1 = 催办, 2 = 二催, 3 = 三催 …: the office may remind a unit again in the same period.
    # The automatic kinds go once (round 1).
    round = models.PositiveSmallIntegerField("轮次", default=1)
    note = models.CharField("督查室留言", max_length=500, blank=True)
    missing_tasks = models.PositiveIntegerField("未报送任务数", default=0)
    recipients = models.PositiveIntegerField("通知人数", default=0)
    emailed = models.PositiveIntegerField("邮件发送数", default=0)
    email_error = models.CharField("邮件错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-sent_at", "-pk"]
        db_table = "reports_reminder"  # the table it had in reports (moved state-only)
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_key", "department", "kind", "round"],
                name="reminder_once_per_unit_period_kind_round",
            )
        ]

    def __str__(self):
        return f"{self.plan_id} {self.period_key} {self.department_id} {self.kind} {self.round}"

    @property
    def round_label(self) -> str:
        return round_label(self.round)


def round_label(number: int) -> str:
    """催办, 二催, 三催, then 第4次催办 …"""
    return {1: "催办", 2: "二催", 3: "三催"}.get(number, f"第{number}次催办")
