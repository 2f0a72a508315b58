"""The office's channel pages in the browser's place (Django's client): hostile input gets a
clear 400, secrets are masked after entry, a person sees what reaches them, and the walk of
issue 19 — robots for two units, SMS for one person, 催办, the result page — with the fake
gateway seeing exactly one message each (sent here by the job's function; in a real Celery
worker in test_the_walk_in_a_real_worker)."""

import os
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from notifications.delivery import send_one
from notifications.models import Delivery, NoticeRule, PersonChannel, SmsGateway, UnitChannel

from .base import BaseTestCase, make_user
from .fake_gateway import FakeGateway
from .helpers import send_reminders_confirmed
from .test_channels import DING_SECRET, DING_TOKEN, LOOPBACK, WECOM_KEY

PUBLIC_DING = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"


def unit_form(robot_kind="none", url="", secret="", people=(), fmt="text", **extra):
    data = {
        "robot-robot_kind": robot_kind,
        "robot-robot_format": fmt,
        "robot-robot_url": url,
        "robot-robot_secret": secret,
    }
    for user, phone, sms in people:
        data[f"people-phone_{user.pk}"] = phone
        if sms:
            data[f"people-sms_{user.pk}"] = "on"
    data.update(extra)
    return data


def walk(client, fake, *, drc, town, staff, plan):
    """What the office does in the browser: two robots, SMS for one person, the gateway, SMS
    on for 催办, then 催办 to the two units. Returns the result page's URL."""
    wecom = fake.url(f"/cgi-bin/webhook/send?key={WECOM_KEY}")
    ding = fake.url(f"/robot/send?access_token={DING_TOKEN}")
    ok = [
        client.post(
            reverse("channels:unit", args=[drc.pk]),
            unit_form("wecom", wecom, people=[(staff, "138 0013 8000", True)]),
        ),
        client.post(
            reverse("channels:unit", args=[town.pk]), unit_form("dingtalk", ding, DING_SECRET)
        ),
        client.post(
            reverse("channels:sms"),
            {
                "enabled": "on",
                "url": fake.url("/sms/send"),
                "account": "ak-1",
                "password": "pw-very-secret",
                "template_id": "SMS_123",
                "sign_name": "东昌府区督查室",
            },
        ),
        client.post(reverse("channels:rules"), {"reminder__robot": "on", "reminder__sms": "on"}),
    ]
    assert [r.status_code for r in ok] == [302] * 4, [r.content.decode()[:3000] for r in ok]
    sent = send_reminders_confirmed(
        client,
        {
            "plan": plan.pk,
            "period": "2022-W20",
            "departments": [drc.pk, town.pk],
            "scope": "chosen",
        },
    )
    assert sent.status_code == 302
    return sent["Location"]


def assert_exactly_one_each(fake):
    paths = sorted(r["path"] for r in fake.requests)
    assert paths == ["/cgi-bin/webhook/send", "/robot/send", "/sms/send"], paths
    (sms,) = fake.bodies("/sms")
    assert sms["mobile"] == "13800138000"


@override_settings(**LOOPBACK)
class ChannelPageTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.office)

    @override_settings(NOTIFY_ALLOWED_HOSTS=["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
    @override_settings(NOTIFY_TEST_LOOPBACK=False)
    def test_hostile_robot_input_gets_a_clear_400_and_saves_nothing(self):
        url = reverse("channels:unit", args=[self.drc.pk])
        for data, message in (
            (
                unit_form("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
                "地址必须以 https:// 开头",
            ),
            (unit_form("wecom", "https://evil.example/hook"), "不允许向 evil.example 发送"),
            (unit_form("wecom", "https://127.0.0.1:8000/x"), "不允许向 127.0.0.1 发送"),
            (unit_form("wecom", "https://169.254.169.254/latest"), "不允许向 169.254.169.254"),
            (unit_form("wecom", "https://qyapi.weixin.qq.com/" + "k" * 1200), "1000"),
            (unit_form("wecom", ""), "请填写群机器人的 Webhook 地址"),
            (unit_form("dingtalk", PUBLIC_DING, "密钥 with spaces"), "不能有空格"),
            (unit_form("dingtalk", PUBLIC_DING, "S" * 300), "200"),
            (
                unit_form("wecom", PUBLIC_DING.replace("oapi.dingtalk", "qyapi.weixin.qq"), "SEC1"),
                "只有钉钉",
            ),
            (unit_form("nonsense"), "选择一个有效的选项"),
            (unit_form(people=[(self.staff, "12345", True)]), "请填写 11 位手机号码"),
            (unit_form(people=[(self.staff, "", True)]), "接收短信需要填写手机号码"),
            (unit_form("wecom", "https://qyapi.weixin.qq.com/x\x00"), ""),
        ):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 400, message)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(UnitChannel.objects.exists())
        self.assertFalse(PersonChannel.objects.exists())
        gateway = self.client.post(
            reverse("channels:sms"), {"enabled": "on", "url": "https://sms.evil.example/send"}
        )
        self.assertContains(gateway, "不允许向 sms.evil.example 发送", status_code=400)
        self.assertContains(gateway, "启用短信需要填写此项", status_code=400)
        self.assertFalse(SmsGateway.objects.exists())

    @override_settings(NOTIFY_ALLOWED_HOSTS=["oapi.dingtalk.com"], NOTIFY_TEST_LOOPBACK=False)
    def test_secrets_are_masked_after_entry_and_encrypted_at_rest(self):
        url = reverse("channels:unit", args=[self.drc.pk])
        response = self.client.post(url, unit_form("dingtalk", PUBLIC_DING, DING_SECRET))
        self.assertRedirects(response, url)
        channel = UnitChannel.objects.get(department=self.drc)
        self.assertNotIn(DING_TOKEN, channel.robot_url_sealed + channel.robot_secret_sealed)
        self.assertNotIn(DING_SECRET, channel.robot_url_sealed + channel.robot_secret_sealed)
        self.assertEqual((channel.robot_url(), channel.robot_secret()), (PUBLIC_DING, DING_SECRET))
        for page in (self.client.get(url), self.client.get(reverse("channels:settings"))):
            html = page.content.decode()
            self.assertNotIn(DING_TOKEN, html)
            self.assertNotIn(DING_SECRET, html)
        self.assertContains(self.client.get(url), "已设置：oapi.dingtalk.com")
        # Saving again with the fields blank keeps both; clearing the secret clears it.
        self.client.post(url, unit_form("dingtalk", fmt="markdown"))
        channel.refresh_from_db()
        self.assertEqual((channel.robot_url(), channel.robot_secret()), (PUBLIC_DING, DING_SECRET))
        self.assertEqual(channel.robot_format, "markdown")
        self.client.post(
            url, unit_form("dingtalk", clear_secret="on", **{"robot-clear_secret": "on"})
        )
        channel.refresh_from_db()
        self.assertEqual((channel.robot_url(), channel.robot_secret()), (PUBLIC_DING, ""))
        self.client.post(url, unit_form("none"))
        channel.refresh_from_db()
        self.assertEqual((channel.has_robot, channel.robot_url_sealed), (False, ""))

    @override_settings(NOTIFY_SECRETS_KEY="")
    def test_another_server_key_cannot_read_the_secrets(self):
        from cryptography.fernet import Fernet

        channel = UnitChannel(department=self.drc)
        channel.set_robot("wecom", "https://qyapi.weixin.qq.com/x?key=k", None)
        channel.save()
        with override_settings(NOTIFY_SECRETS_KEY=Fernet.generate_key().decode()):
            from notifications.secrets import SecretUnreadable

            with self.assertRaises(SecretUnreadable):
                UnitChannel.objects.get().robot_url()

    def test_the_sms_password_is_masked_and_kept_when_left_blank(self):
        data = {
            "enabled": "on",
            "url": "http://127.0.0.1:9/sms",
            "account": "ak-1",
            "password": "pw-very-secret",
            "template_id": "SMS_123",
            "sign_name": "东昌府区督查室",
        }
        self.assertEqual(self.client.post(reverse("channels:sms"), data).status_code, 302)
        page = self.client.get(reverse("channels:sms"))
        self.assertNotContains(page, "pw-very-secret")
        self.assertContains(page, "已设置")
        self.client.post(reverse("channels:sms"), {**data, "password": ""})
        self.assertEqual(SmsGateway.current().password(), "pw-very-secret")
        self.assertNotIn("pw-very-secret", SmsGateway.current().password_sealed)
        bad = self.client.post(reverse("channels:sms"), {**data, "sign_name": "【伪造】"})
        self.assertContains(bad, "短信签名不能包含", status_code=400)

    def test_a_person_sees_what_reaches_them(self):
        self.client.force_login(self.staff)
        page = self.client.get(reverse("channels:mine"))
        self.assertContains(page, "未设置群机器人")
        self.assertContains(
            page, "<td>三催</td><td>✓</td><td>—</td><td>—</td><td>—</td>", html=True
        )
        with FakeGateway() as fake:
            self.client.force_login(self.office)
            walk(
                self.client,
                fake,
                drc=self.drc,
                town=self.town,
                staff=self.staff,
                plan=self.task["1"].plan,
            )
        self.client.force_login(self.staff)
        page = self.client.get(reverse("channels:mine"))
        self.assertContains(page, "138****8000（接收短信）")
        self.assertContains(page, "已设置群机器人")
        self.assertContains(
            page, "<td>催办</td><td>✓</td><td>—</td><td>✓</td><td>✓</td>", html=True
        )
        self.assertNotContains(page, WECOM_KEY)

    def test_the_walk_robots_for_two_units_sms_for_one_person(self):
        plan = self.task["1"].plan
        with FakeGateway() as fake:
            result_url = walk(
                self.client, fake, drc=self.drc, town=self.town, staff=self.staff, plan=plan
            )
            # the result of this round (?at= names it)
            self.assertEqual(
                result_url.split("?")[0],
                reverse("notify:reminder_result", args=[plan.pk, "2022-W20"]),
            )
            self.assertEqual(fake.requests, [])  # nothing in the web request
            page = self.client.get(result_url)
            self.assertContains(page, "还有 3 条外发消息等待发送")
            for pk in Delivery.objects.values_list("pk", flat=True):
                send_one(pk)
            assert_exactly_one_each(fake)
        page = self.client.get(result_url)
        self.assertNotContains(page, "等待发送")
        self.assertContains(
            page, '区发展和改革局 工作群：<span class="delivery-sent">已发送</span>'
        )
        self.assertContains(page, '堂邑镇 工作群：<span class="delivery-sent">已发送</span>')
        self.assertContains(page, 'staff 138****8000：<span class="delivery-sent">已发送</span>')
        self.assertEqual(NoticeRule.objects.get(notice_type="reminder").sms, True)

    def test_the_result_lists_units_no_channel_reaches(self):
        plan = self.task["1"].plan
        make_user("nobody-unit-helper")  # no unit
        sent = send_reminders_confirmed(
            self.client, {"plan": plan.pk, "period": "2022-W20", "scope": "all"}
        )
        page = self.client.get(sent["Location"])
        self.assertContains(page, "没有可接收通知账号的单位")
        self.assertContains(page, '<span class="unit">区财政局</span>', html=True)
        self.assertNotContains(page, '<span class="unit">区发展和改革局</span>', html=True)


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"
)


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_the_walk_in_a_real_worker(settings, client):
    """Deliveries go through Redis to a real Celery worker: retried with backoff after a 500,
    sent once each, and a rerun of every job sends nothing more."""
    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command

    from config.celery import app
    from departments.models import Department
    from notifications.jobs import deliver
    from tasks.models import Plan

    from .base import make_user
    from .helpers import ALL_FIXTURES

    call_command("loaddata", *ALL_FIXTURES, verbosity=0)
    for name, value in LOOPBACK.items():
        setattr(settings, name, value)
    settings.NOTIFY_RETRY_SECONDS = 1
    drc = Department.objects.get(name="区发展和改革局")
    town = Department.objects.get(name="堂邑镇")
    staff = make_user("staff", unit=drc, reporter=True)
    make_user("town", unit=town, reporter=True)
    office = make_user("office", office=True)
    client.force_login(office)
    app.control.purge()
    with FakeGateway() as fake:
        fake.scripts = {"/robot/send": ["500"]}  # 钉钉 fails once: the worker retries
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result_url = walk(
                client, fake, drc=drc, town=town, staff=staff, plan=Plan.objects.get(year=2022)
            )
            deadline = time.monotonic() + 60
            while Delivery.objects.filter(state="queued").exists() and time.monotonic() < deadline:
                time.sleep(0.3)
            states = sorted(Delivery.objects.values_list("channel", "state", "attempts"))
            assert states == [("robot", "sent", 1), ("robot", "sent", 2), ("sms", "sent", 1)]
            ding = [r for r in fake.requests if r["path"] == "/robot/send"]
            assert len(ding) == 2 and ding[1]["at"] - ding[0]["at"] >= 0.9  # the backoff
            # Every job runs again (a redelivered message, a second beat sweep): no new message.
            for pk in Delivery.objects.values_list("pk", flat=True):
                assert deliver.delay(pk).get(timeout=30) == "sent"
        assert len(fake.requests) == 4
        fake.requests = [r for r in fake.requests if r["path"] != "/robot/send" or r is ding[1]]
        assert_exactly_one_each(fake)
    page = client.get(result_url)
    assert page.content.decode().count('<span class="delivery-sent">已发送</span>') == 3


@override_settings(**LOOPBACK)
class HostilePathTests(BaseTestCase):
    def test_hostile_path_values_are_404_never_500(self):
        self.client.force_login(self.office)
        plan = self.task["1"].plan_id
        for url in (
            f"/notifications/channels/units/{10**30}/",
            f"/notifications/channels/units/{2**63}/",
            f"/notifications/reminders/{10**30}/2022-W20/",
            f"/notifications/reminders/{plan}/%00/",
            f"/notifications/reminders/{plan}/2022-W{'9' * 500}/",
            f"/notifications/reminders/{plan}/{'x' * 5000}/",
        ):
            self.assertIn(self.client.get(url).status_code, (400, 404), url)  # NUL: the edge guard
        huge = self.client.post(
            reverse("channels:unit", args=[self.drc.pk]),
            unit_form(
                "wecom", "https://127.0.0.1/" + "\x00" * 10, **{f"people-phone_{10**30}": "1"}
            ),
        )
        self.assertEqual(huge.status_code, 400)


@override_settings(**LOOPBACK)
class ChannelQueryCountTests(BaseTestCase):
    def count(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login_renewed(self.office)
        self.client.get(url)  # warm: the session and the person
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries), [q["sql"][:90] for q in queries]

    def test_the_reminder_result_costs_four_queries_however_many_units(self):
        from notifications.reminders import send_reminders
        from tasks.periods import parse_period_key

        plan, period = self.task["1"].plan, parse_period_key("2022-W20")
        for unit in (self.drc, self.town):
            channel = UnitChannel(department=unit)
            channel.set_robot("wecom", "https://qyapi.weixin.qq.com/x?key=k", None)
            channel.save()
        url = reverse("notify:reminder_result", args=[plan.pk, "2022-W20"])
        send_reminders(plan, period, kind="manual", departments=[self.drc.pk])
        one, _ = self.count(url)
        send_reminders(plan, period, kind="manual")  # every unit missing reports
        every, _ = self.count(url)
        # user (+ profile, leader, unread count; the session is read from Redis), plan,
        # reminders (+ unit, sender), deliveries
        self.assertEqual((one, every), (4, 4))

    def test_the_channel_pages_cost_a_fixed_number_of_queries(self):
        channel = UnitChannel(department=self.drc)
        channel.set_robot("wecom", "https://qyapi.weixin.qq.com/x?key=k", None)
        channel.save()
        PersonChannel.objects.create(user=self.staff, sms=True)
        # (the session is read from Redis) user (with the unread count), rules, unit channels,
        # SMS people per unit, accounts per unit, units, gateway
        self.assertEqual(self.count(reverse("channels:settings"))[0], 7)
        # user (with unread), unit, its channel, its people (+ profiles), their SMS opt-ins
        self.assertEqual(self.count(reverse("channels:unit", args=[self.drc.pk]))[0], 5)
        # user (with unread), my SMS opt-in, gateway, rules (no unit: no robot query)
        self.assertEqual(self.count(reverse("channels:mine"))[0], 4)
