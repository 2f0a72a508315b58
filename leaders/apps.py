from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "leaders"
    verbose_name = "区领导"

    def ready(self):
        from . import receivers

        receivers.connect()
