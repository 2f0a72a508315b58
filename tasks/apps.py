from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "重点工作任务"

    def ready(self):
        from . import receivers

        receivers.connect()
