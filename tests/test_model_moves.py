"""Models that moved between apps keep their rows: the moves are state-only migrations.

Profile and RoleChange went from departments to accounts, Notification and Reminder from
reports to notifications. Each test migrates a database back to before the move, writes rows
with the models as they were, migrates forward and reads the same rows through the new app.
"""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test import TransactionTestCase

BEFORE = [
    ("accounts", "0002_delete_loginfailure"),
    ("departments", "0002_district"),
    ("notifications", "0001_channels_and_deliveries"),
    ("reports", "0004_reportjob_heartbeat"),
]
AFTER = [
    ("accounts", "0003_profile_rolechange_from_departments"),
    ("departments", "0003_profile_rolechange_to_accounts"),
    ("notifications", "0002_notification_reminder_from_reports"),
    ("reports", "0005_notification_reminder_to_notifications"),
]


def migrate(targets):
    """Migrate to `targets`; the models as the database now has them (every applied node)."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    return loader.project_state(list(loader.applied_migrations)).apps


class MovedModelsKeepTheirRows(TransactionTestCase):
    def tearDown(self):
        migrate(MigrationLoader(connection).graph.leaf_nodes())

    def test_profiles_and_role_changes_written_in_departments_are_read_in_accounts(self):
        old = migrate(BEFORE)
        User = old.get_model("auth", "User")
        Department = old.get_model("departments", "Department")
        unit = Department.objects.create(name="区测试局")
        user = User.objects.create(username="moved-profile")
        old.get_model("departments", "Profile").objects.create(
            user=user, department=unit, is_reporter=True, phone="13800000000"
        )
        old.get_model("departments", "RoleChange").objects.create(
            user=user, what="填报员", old_value="否", new_value="是"
        )
        ContentType = old.get_model("contenttypes", "ContentType")
        ContentType.objects.get_or_create(app_label="departments", model="profile")

        new = migrate(AFTER)
        profile = new.get_model("accounts", "Profile").objects.get(user__username="moved-profile")
        assert (profile.department.name, profile.is_reporter, profile.phone) == (
            "区测试局",
            True,
            "13800000000",
        )
        change = new.get_model("accounts", "RoleChange").objects.get(user=profile.user)
        assert (change.what, change.new_value) == ("填报员", "是")
        ContentType = new.get_model("contenttypes", "ContentType")
        assert ContentType.objects.filter(app_label="accounts", model="profile").exists()
        assert not ContentType.objects.filter(app_label="departments", model="profile").exists()

    def test_notifications_and_reminders_written_in_reports_are_read_in_notifications(self):
        old = migrate(BEFORE)
        User = old.get_model("auth", "User")
        user = User.objects.create(username="moved-notice")
        unit = old.get_model("departments", "Department").objects.create(name="区测试局")
        plan = old.get_model("tasks", "Plan").objects.create(
            slug="moved", title="测试方案", year=2022
        )
        old.get_model("reports", "Notification").objects.create(
            user=user, kind="reminder", title="请报送第20周进展"
        )
        old.get_model("reports", "Reminder").objects.create(
            plan=plan,
            period_key="2022-W20",
            department=unit,
            kind="manual",
            sent_at=datetime.datetime(2022, 5, 19, 9, tzinfo=datetime.UTC),
            missing_tasks=3,
        )

        new = migrate(AFTER)
        notice = new.get_model("notifications", "Notification").objects.get(user__pk=user.pk)
        assert (notice.kind, notice.title) == ("reminder", "请报送第20周进展")
        reminder = new.get_model("notifications", "Reminder").objects.get(plan__slug="moved")
        assert (reminder.department.name, reminder.missing_tasks) == ("区测试局", 3)
