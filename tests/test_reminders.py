"""催办: who is reminded, once per unit, period and kind, by the office, the beat and a worker."""

import datetime
import os
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from config.celery import app, build_beat_schedule
from notifications.delivery import send_one
from notifications.jobs import send_due_reminders
from notifications.models import Delivery, Notification, Reminder
from notifications.reminders import notify, send_reminders, units_missing_reports
from tasks.models import Plan
from tasks.periods import parse_period_key
from tasks.schedule import parse_weekly_at

from .base import BaseTestCase, make_user
from .synthetic import lead_report

TZ = ZoneInfo("Asia/Shanghai")
W20 = parse_period_key("2022-W20")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in May 2022, in the office's zone (W20 runs Monday 16th .. Sunday 22nd)."""
    return datetime.datetime(2022, 5, day, hour, minute, tzinfo=TZ)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses everything, and counts how often it was asked."""

    attempts = 0

    def send_messages(self, email_messages):
        FailingBackend.attempts += 1
        raise SMTPException("550 relay refused")


class ReminderTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.drc_left = make_user("drc-left", unit=cls.drc, reporter=True)
        cls.drc_left.is_active = False
        cls.drc_left.save()
        # In the unit, but neither staff nor head: not a recipient.
        cls.drc_other = make_user("drc-other", unit=cls.drc)
        for user in (cls.staff, cls.head, cls.town_staff, cls.leader, cls.office, cls.admin):
            user.email = f"{user.username}@example.gov.cn"
            user.save()
        cls.drc_left.email = "left@example.gov.cn"
        cls.drc_left.save()

    def report(self, task, unit, state="submitted", period="2022-W20"):
        report = lead_report(task, unit, period, self.staff, state=state)
        report.save()
        return report

    def recipients(self):
        return set(Notification.objects.values_list("user__username", flat=True))


class UnitsMissingReportsTests(ReminderTestCase):
    def test_a_unit_owes_every_task_without_a_report_that_counts(self):
        missing = units_missing_reports(self.plan, W20)
        owed = missing[self.drc.pk]
        self.assertIn(self.task["1"], owed)
        self.assertEqual(len(missing[self.town.pk]), 1)
        self.report(owed[0], self.drc, "submitted")
        self.report(owed[1], self.drc, "draft")
        self.report(owed[2], self.drc, "returned")
        self.report(owed[3], self.drc, "submitted", period="2022-W19")  # another period
        after = units_missing_reports(self.plan, W20)[self.drc.pk]
        self.assertEqual(after, owed[1:])

    def test_a_unit_that_reported_everything_is_not_missing(self):
        (town_task,) = units_missing_reports(self.plan, W20)[self.town.pk]
        self.report(town_task, self.town, "accepted")
        self.assertNotIn(self.town.pk, units_missing_reports(self.plan, W20))


class SendRemindersTests(ReminderTestCase):
    def test_reminders_reach_exactly_the_staff_and_heads_of_missing_units(self):
        created = send_reminders(self.plan, W20, kind="before_due", now=at(19, 9))
        self.assertEqual(len(created), len(units_missing_reports(self.plan, W20)))
        # Not leaders, not the office, not admins, not inactive or role-less unit members.
        self.assertEqual(self.recipients(), {"staff", "head", "town"})
        drc = Reminder.objects.get(department=self.drc)
        self.assertEqual(
            (drc.kind, drc.period_key, drc.sent_by, drc.recipients, drc.missing_tasks),
            ("before_due", "2022-W20", None, 2, 26),
        )
        note = Notification.objects.get(user=self.staff)
        self.assertEqual(note.kind, "reminder")
        self.assertEqual(note.url, "/tasks/mine/?plan=2022&period=2022-W20")
        self.assertIn("26 项任务", note.body)
        self.assertIn("2022年5月19日 17:00", note.body)
        self.assertIsNone(note.read_at)

    def test_a_unit_that_reported_is_not_reminded(self):
        (town_task,) = units_missing_reports(self.plan, W20)[self.town.pk]
        self.report(town_task, self.town, "submitted")
        send_reminders(self.plan, W20, kind="after_due", now=at(20, 9))
        self.assertFalse(Reminder.objects.filter(department=self.town).exists())
        self.assertEqual(self.recipients(), {"staff", "head"})
        self.assertIn("逾期", Notification.objects.get(user=self.staff).title)

    def test_sending_twice_reminds_each_unit_once(self):
        first = send_reminders(self.plan, W20, kind="before_due", now=at(19, 9))
        notes = Notification.objects.count()
        second = send_reminders(self.plan, W20, kind="before_due", now=at(19, 9, 15))
        self.assertEqual(second, [])
        self.assertEqual(Reminder.objects.count(), len(first))
        self.assertEqual(Notification.objects.count(), notes)
        # Another kind is another reminder; another period too.
        self.assertTrue(send_reminders(self.plan, W20, kind="after_due", now=at(20, 9)))
        self.assertTrue(send_reminders(self.plan, W20.next(), kind="before_due"))

    def test_a_manual_reminder_goes_to_the_chosen_units_only(self):
        created = send_reminders(
            self.plan, W20, kind="manual", departments=[self.drc.pk], sent_by=self.office
        )
        self.assertEqual([r.department for r in created], [self.drc])
        self.assertEqual(created[0].sent_by, self.office)
        self.assertEqual(self.recipients(), {"staff", "head"})
        self.assertIn("督查室催办", Notification.objects.get(user=self.head).title)
        # Already reminded this period (and an id that owes nothing): nothing more.
        self.assertEqual(
            send_reminders(self.plan, W20, kind="manual", departments=[self.drc, 999999]), []
        )

    def deliver_all(self):
        """What the Celery job does for each queued message (tests/test_channels.py runs it
        in a real worker): try every queued delivery once; returns the states after."""
        for pk in Delivery.objects.filter(state="queued").values_list("pk", flat=True):
            send_one(pk)
        return sorted(Delivery.objects.values_list("state", flat=True))

    def test_e_mails_go_to_the_recipients_with_an_address_after_the_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            send_reminders(self.plan, W20, kind="before_due", now=at(19, 9))
        self.assertEqual(mail.outbox, [])  # nothing in the request: a job sends them
        self.assertEqual(len(callbacks), 2)  # the job is queued after the commit, per unit
        self.assertEqual(self.deliver_all(), ["sent"] * 3)
        self.assertEqual(
            sorted(address for m in mail.outbox for address in m.to),
            ["head@example.gov.cn", "staff@example.gov.cn", "town@example.gov.cn"],
        )
        message = next(m for m in mail.outbox if m.to == ["staff@example.gov.cn"])
        self.assertEqual(message.from_email, "督查台账 <noreply@localhost>")
        self.assertIn("第20周（5月16日—5月22日）", message.subject)
        self.assertIn("区发展和改革局：", message.body)
        self.assertIn("/tasks/mine/?plan=2022&period=2022-W20", message.body)
        sent = Delivery.objects.filter(channel="email", state="sent")
        self.assertEqual(sent.filter(department=self.drc).count(), 2)
        self.assertEqual(sent.filter(department=self.town).count(), 1)
        # The job runs again (a redelivered message): nothing is sent twice.
        self.assertEqual(self.deliver_all(), ["sent"] * 3)
        for pk in Delivery.objects.values_list("pk", flat=True):
            self.assertEqual(send_one(pk), "sent")
        self.assertEqual(len(mail.outbox), 3)

    @override_settings(EMAIL_BACKEND="tests.test_reminders.FailingBackend", NOTIFY_MAX_ATTEMPTS=3)
    def test_an_e_mail_failure_is_retried_recorded_and_never_loses_the_notice(self):
        FailingBackend.attempts = 0
        created = send_reminders(self.plan, W20, kind="after_due", now=at(20, 9))
        notes = Notification.objects.count()
        self.assertEqual(notes, 3)  # the in-app notifications are there all the same
        self.assertEqual(self.deliver_all(), ["queued"] * 3)  # first failure: tried again later
        self.assertEqual(self.deliver_all(), ["queued"] * 3)
        self.assertEqual(self.deliver_all(), ["failed"] * 3)  # the third attempt was the last
        self.assertEqual(self.deliver_all(), ["failed"] * 3)
        self.assertEqual(FailingBackend.attempts, 9)  # 3 messages × 3 attempts, no more
        failed = Delivery.objects.get(user=self.staff)
        self.assertEqual(
            (failed.attempts, failed.last_error), (3, "SMTPException: 550 relay refused")
        )
        again = send_reminders(self.plan, W20, kind="after_due", now=at(20, 10))
        self.assertEqual((again, Delivery.objects.count()), ([], 3))
        self.assertEqual(Reminder.objects.count(), len(created))
        self.assertEqual(Notification.objects.count(), notes)

    @override_settings(EMAIL_BACKEND="no.such.Backend", NOTIFY_MAX_ATTEMPTS=1)
    def test_a_broken_mail_configuration_does_not_raise_either(self):
        send_reminders(self.plan, W20, kind="manual", departments=[self.drc.pk])
        self.assertEqual(self.deliver_all(), ["failed", "failed"])
        self.assertIn("ModuleNotFoundError", Delivery.objects.first().last_error)

    def test_notify_writes_one_notification_per_user(self):
        notes = notify([self.staff, self.staff, self.leader], "instruction", "批示", "正文", "/x/")
        self.assertEqual(len(notes), 2)
        self.assertEqual(
            set(Notification.objects.values_list("user__username", "kind")),
            {("staff", "instruction"), ("leader", "instruction")},
        )


class DueRemindersJobTests(ReminderTestCase):
    """The beat's job, with "now" pinned (the real time of day would make these flaky)."""

    def run_job(self, kind, moment):
        with mock.patch("tasks.clock.now", return_value=moment):
            return send_due_reminders(kind)

    def test_before_due_goes_out_from_thursday_nine_once(self):
        self.assertEqual(self.run_job("before_due", at(19, 8, 59)), [])
        sent = self.run_job("before_due", at(19, 9, 0))
        self.assertEqual(len(sent), len(units_missing_reports(self.plan, W20)))
        self.assertEqual(self.run_job("before_due", at(19, 9, 15)), [])
        self.assertIn("请于2022年5月19日 17:00前报送", Notification.objects.first().title)

    def test_after_due_waits_for_its_moment_and_the_deadline(self):
        self.assertEqual(self.run_job("after_due", at(19, 18)), [])  # past due, before fri 9:00
        self.assertTrue(self.run_job("after_due", at(20, 9, 30)))
        self.assertEqual(self.run_job("after_due", at(22, 23)), [])
        self.assertEqual(set(Reminder.objects.values_list("kind", flat=True)), {"after_due"})

    @override_settings(REMINDER_AFTER_DUE="sun 20:00")
    def test_after_due_follows_the_setting_even_after_the_deadline(self):
        self.assertEqual(self.run_job("after_due", at(21, 9)), [])
        self.assertTrue(self.run_job("after_due", at(22, 20)))

    @override_settings(REMINDER_BEFORE_DUE="disable")
    def test_a_disabled_kind_sends_nothing(self):
        self.assertEqual(self.run_job("before_due", at(20, 9)), [])
        self.assertFalse(Reminder.objects.exists())

    def test_a_plan_whose_year_is_over_is_not_chased(self):
        moment = datetime.datetime(2023, 3, 10, 12, tzinfo=TZ)
        self.assertEqual(self.run_job("before_due", moment), [])

    def test_an_unknown_kind_is_refused(self):
        with pytest.raises(ValueError):
            send_due_reminders("manual")


def test_the_beat_schedule_has_the_reminder_entries():
    schedule = build_beat_schedule("fri 18:00", before="thu 09:00", after="fri 09:00")
    before = schedule["reminder-before-due"]
    after = schedule["reminder-after-due"]
    assert before["task"] == after["task"] == "notifications.jobs.send_due_reminders"
    assert (before["args"], after["args"]) == (("before_due",), ("after_due",))
    assert before["schedule"].day_of_week == {4} and before["schedule"].hour == {9}
    assert after["schedule"].day_of_week == {5} and after["schedule"].minute == {0}
    assert schedule["reminder-before-due-catch-up"]["args"] == ("before_due",)
    assert schedule["reminder-after-due-catch-up"]["args"] == ("after_due",)
    assert "weekly-roll-up" in schedule


def test_disabled_reminders_have_no_beat_entries():
    schedule = build_beat_schedule("disable", before="disable", after="sat 08:30")
    assert set(schedule) == {"reminder-after-due", "reminder-after-due-catch-up"}
    assert build_beat_schedule("fri 18:00", before="disable", after="disable").keys() == {
        "weekly-roll-up",
        "weekly-roll-up-catch-up",
    }
    assert build_beat_schedule("disable", before="off", after="disable") == {}


def test_a_bad_reminder_time_names_its_setting():
    with pytest.raises(ValueError, match="REMINDER_BEFORE_DUE"):
        build_beat_schedule("fri 18:00", before="thursday 9", after="fri 09:00")
    with pytest.raises(ValueError, match="REMINDER_AFTER_DUE"):
        build_beat_schedule("fri 18:00", before="thu 09:00", after="fri 24:00")
    assert parse_weekly_at("thu 09:00").weekday == 3


def test_the_default_settings_schedule_the_reminders():
    from django.conf import settings

    assert settings.REMINDER_BEFORE_DUE == "thu 09:00"
    assert settings.REMINDER_AFTER_DUE == "fri 09:00"
    assert "reminder-before-due" in app.conf.beat_schedule


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_due_reminders_once(settings):
    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command

    from config.celery import app

    from .helpers import ALL_FIXTURES

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    # Friday of W20: past the Thursday 09:00 reminder moment whatever the real time of day.
    settings.AS_OF_DATE = "2022-05-20"
    plan = Plan.objects.get(year=2022)
    expected = set(units_missing_reports(plan, W20))
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        first = send_due_reminders.delay("before_due").get(timeout=60)
        second = send_due_reminders.delay("before_due").get(timeout=60)
    assert len(first) == len(expected) and second == []
    assert set(Reminder.objects.values_list("department_id", flat=True)) == expected
    assert Reminder.objects.filter(kind="before_due", period_key="2022-W20").count() == len(
        expected
    )
