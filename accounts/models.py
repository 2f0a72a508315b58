from django.db import models


class LoginFailure(models.Model):
    """A failed login for a username from an address; enough of them lock that pair."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField("地址")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.username}@{self.ip_address} {self.at:%Y-%m-%d %H:%M}"
