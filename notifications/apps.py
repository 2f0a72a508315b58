from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知渠道"

    def ready(self):
        from accounts.backends import LOADED_WITH_USER

        from . import receivers
        from .context_processors import LOADED, unread_subquery

        receivers.connect()
        LOADED_WITH_USER[LOADED] = unread_subquery  # the header's unread count
