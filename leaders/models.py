from django.conf import settings
from django.db import models

from departments.models import RoleChange


class Leader(models.Model):
    """A district leader (区领导) who may be the lead leader (牵头领导) of tasks."""

    name = models.CharField("姓名", max_length=50, unique=True)
    title = models.CharField("职务", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    # The account of the leader; set means the person holds the leader role.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader",
        verbose_name="登录账号",
    )

    class Meta:
        verbose_name = "区领导"
        verbose_name_plural = "区领导"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_user_id = instance.__dict__.get("user_id")
        return instance

    def save(self, *args, changed_by=None, **kwargs):
        """Save and record a change of the linked account (the leader role) with who made it."""
        before = getattr(self, "_saved_user_id", None)
        super().save(*args, **kwargs)
        if before != self.user_id:
            changes = []
            if before:
                changes.append(
                    RoleChange(
                        user_id=before,
                        changed_by=changed_by,
                        what="区领导",
                        old_value=self.name,
                        new_value="",
                    )
                )
            if self.user_id:
                changes.append(
                    RoleChange(
                        user_id=self.user_id,
                        changed_by=changed_by,
                        what="区领导",
                        old_value="",
                        new_value=self.name,
                    )
                )
            RoleChange.objects.bulk_create(changes)
        self._saved_user_id = self.user_id
