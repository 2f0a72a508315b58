from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知渠道"

    def ready(self):
        from . import receivers

        receivers.connect()
