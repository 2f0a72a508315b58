"""Every URL pattern, every role, hostile values everywhere: never a 5xx (see tests/hostile.py)."""

import time

from django.conf import settings
from django.test import Client, override_settings

from accounts.models import Profile
from notifications.models import Notification
from reports.models import ReportJob

from . import hostile, objects
from .base import BaseTestCase


def part_of(pattern: hostile.Pattern) -> str:
    """admin/…, tasks/… or any other (each part walks in about a third of the time)."""
    return {"admin/": "admin", "tasks/": "tasks"}.get(str(pattern.parts[0]), "other")


@override_settings(
    AS_OF_DATE="2022-05-18",
    MIDDLEWARE=["tests.hostile.RecordingMiddleware", *settings.MIDDLEWARE],
    # Every walked login attempt hashes a password: the fast hasher keeps the walk in budget.
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class HostileWalkTests(BaseTestCase):
    """What every part of the walk shares (the parts are its subclasses below)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = cls.task["1"].plan
        cls.report, cls.attachment = objects.submitted_report_with_evidence(cls)
        cls.snapshot = objects.week_19_workbook(cls.plan)
        cls.job = ReportJob.objects.create(plan=cls.plan, period_key="2022-W19")
        cls.notification = Notification.objects.create(user=cls.staff, kind="other", title="通知")
        cls.instruction = objects.published_instruction(cls)
        cls.notice = objects.issued_escalation_notice(cls)

    def walker(self) -> hostile.Walker:
        users = {
            "anon": None,
            "nobody": self.nobody,
            "staff": self.staff,
            "head": self.head,
            "town": self.town_staff,
            "leader": self.leader,
            "office": self.office,
            "admin": self.admin,
        }
        clients = {}
        for role, user in users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            clients[role] = (client, user)
        path_values = {
            "plan_key": "2022",
            "number": "15",
            "report_id": self.report.pk,
            "action": "approve",
            "attachment_id": self.attachment.pk,
            "leader_id": self.zhangya.pk,
            "instruction_id": self.instruction.pk,
            "user_id": self.nobody.pk,
            "job_id": self.job.pk,
            "snapshot_id": self.snapshot.pk,
            "notification_id": self.notification.pk,
            "notice_id": self.notice.pk,
            "app_label": "tasks",
            "object_id": self.task["15"].pk,
        }
        field_values = {
            ("get", "plan"): "2022",
            ("post", "plan"): str(self.plan.pk),
            ("get", "period"): "2022-W20",
            ("post", "period"): "2022-W20",
            ("post", "action"): "save",
            ("post", "username"): "no-such-user",  # a known one would cost a password hash each
            ("post", "text"): "请加快进度",
            ("post", "reason"): "请补充材料",
        }

        def after():
            # A walked reset-password or profile edit must not send a role to the password form.
            Profile.objects.filter(must_change_password=True).update(must_change_password=False)

        # Django's admin lets staff in (here: the superuser); every other user, signed in or
        # not, is sent to the admin's login before any admin view runs, whatever the role's
        # profile says. So its patterns are walked by the staff, by the anonymous visitor and
        # by one signed-in user without staff status (the office); the app's by every role.
        staff = [role for role, (_, user) in clients.items() if user and user.is_staff]
        admin_roles = [*staff, "anon", "office"]

        def roles(pattern):
            return admin_roles if str(pattern.parts[0]) == "admin/" else list(clients)

        return hostile.Walker(clients, path_values, field_values, after=after, roles=roles)

    def walk_part(self, part: str):
        patterns = [p for p in hostile.url_patterns() if part_of(p) == part]
        started, cpu = time.monotonic(), time.process_time()
        self.last_walker = self.walker()
        result = self.last_walker.walk(patterns)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        print(
            f"hostile walk ({part}): {len(patterns)} patterns, {result.requests} requests, "
            f"{elapsed:.1f} s ({cpu:.1f} s CPU in this process)"
        )
        for seconds, count, label in sorted(self.last_walker.timings, reverse=True)[:10]:
            print(f"{seconds:6.2f} s {count:5d} requests  {label}")
        kinds = {}
        for failure in result.failures:
            kinds.setdefault(failure.split(":")[0] + failure.rsplit(":", 1)[-1][:60], failure)
        for failure in kinds.values():
            print("FAIL", failure[:300])
        self.assertEqual(result.failures[:20], [])
        # Every pattern of the part was walked: a URL added later cannot be skipped.
        self.assertEqual({p.label for p in patterns} - result.exercised, set())
        self.assertGreater(len(patterns), 10)


# The walk in three parts of about the same length, so that xdist workers share it (bin/test).
# part_of puts every pattern of the resolver in exactly one part, and each part's test fails
# when one of its patterns was not exercised.
class AdminPatternsWalkTests(HostileWalkTests):
    def test_no_admin_url_pattern_answers_a_5xx_to_hostile_input_from_any_role(self):
        self.walk_part("admin")


class TaskPatternsWalkTests(HostileWalkTests):
    def test_no_task_url_pattern_answers_a_5xx_to_hostile_input_from_any_role(self):
        self.walk_part("tasks")


class OtherPatternsWalkTests(HostileWalkTests):
    def test_no_other_url_pattern_answers_a_5xx_to_hostile_input_from_any_role(self):
        self.walk_part("other")


@override_settings(
    ROOT_URLCONF="tests.hostile_urls",
    MIDDLEWARE=["tests.hostile.RecordingMiddleware", *settings.MIDDLEWARE],
)
class NewUrlIsWalkedTests(BaseTestCase):
    def test_a_view_added_later_is_walked_without_being_named_and_its_500_is_found(self):
        from django.urls import get_resolver

        from config import urls as project_urls

        known = {p.label for p in hostile.url_patterns(get_resolver(project_urls))}
        added = [p for p in hostile.url_patterns() if p.label not in known]
        # Found by the resolver, not by a list: the careless view is the only new pattern.
        self.assertEqual([p.label for p in added], ["careless/<int:item_id>/"])
        client = Client()
        client.force_login(self.office)
        walker = hostile.Walker({"office": (client, self.office)}, {}, {})
        result = walker.walk(added)
        self.assertEqual(result.exercised, {"careless/<int:item_id>/"})
        self.assertTrue(any("careless" in failure for failure in result.failures), result.failures)
