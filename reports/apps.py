from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "督查报表"

    def ready(self):
        from . import receivers

        receivers.connect()
