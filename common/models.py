"""Models shared by every app: the record that makes a form submission happen once."""

from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """One submitted form (its one-time token): a second POST with the token is a duplicate.

    Written in the same transaction as what the request changes, so a request that fails
    leaves no token behind and may be sent again.
    """

    token = models.CharField("令牌", max_length=32, unique=True)
    user_id = models.BigIntegerField("用户", null=True, blank=True)
    path = models.CharField("地址", max_length=300)
    location = models.CharField("结果页", max_length=500, blank=True)
    done = models.BooleanField("已完成", default=False)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "表单提交"
        verbose_name_plural = "表单提交"

    def __str__(self):
        return f"{self.path} {self.token}"
