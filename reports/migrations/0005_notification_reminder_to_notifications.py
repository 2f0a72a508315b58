"""Notification and Reminder now belong to notifications (notifications/0002); state only.

The tables stay (the models keep db_table); the content types follow the models, so
permissions and admin log entries that point at them stay valid.
"""

from django.db import migrations

MOVED = ("notification", "reminder")


def content_types_to(app_label_from, app_label_to):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in MOVED:
            # A row created for the new label by an earlier post_migrate would clash.
            ContentType.objects.filter(app_label=app_label_to, model=model).delete()
            ContentType.objects.filter(app_label=app_label_from, model=model).update(
                app_label=app_label_to
            )

    return move


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_notification_reminder_from_reports"),
        ("reports", "0004_reportjob_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="Reminder"),
            ],
        ),
        migrations.RunPython(
            content_types_to("reports", "notifications"),
            content_types_to("notifications", "reports"),
        ),
    ]
