"""Outbound channels against a fake gateway on loopback: payloads as documented, retries,
no duplicates, the daily cap, secrets kept out of pages, and the allow-list."""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import unquote_plus

import pytest
from django.test import override_settings

from notifications import egress, texts
from notifications.channels import DingTalkRobot
from notifications.delivery import send_one
from notifications.models import Delivery, NoticeRule, PersonChannel, SmsGateway, UnitChannel
from notifications.reminders import send_reminders
from tasks.models import Plan
from tasks.periods import parse_period_key

from .base import BaseTestCase
from .fake_gateway import FakeGateway

W20 = parse_period_key("2022-W20")
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "c0ffee0123456789abcdef"
DING_SECRET = "SEC0123456789abcdef0123456789abcdef"
LOOPBACK = {
    "NOTIFY_TEST_LOOPBACK": True,
    "NOTIFY_ALLOWED_HOSTS": ["127.0.0.1"],
    "NOTIFY_HTTP_TIMEOUT": 1,
    "NOTIFY_RETRY_SECONDS": 0,
    "NOTIFY_MAX_ATTEMPTS": 3,
    "SITE_URL": "https://ducha.example.gov.cn",
    "AS_OF_DATE": "2022-05-18",
}


def set_robot(unit, kind, url, secret=None, fmt="text"):
    channel = UnitChannel(department=unit, robot_format=fmt)
    channel.set_robot(kind, url, secret)
    channel.save()
    return channel


def enable_sms(gateway_url, user, phone="13800138000", notice_type="reminder"):
    gateway = SmsGateway(
        pk=1, enabled=True, url=gateway_url, account="ak-1", template_id="SMS_123", sign_name="督查"
    )
    gateway.set_password("pw-very-secret")
    gateway.save()
    user.profile.phone = phone
    user.profile.save()
    PersonChannel.objects.update_or_create(user=user, defaults={"sms": True})
    NoticeRule.objects.update_or_create(
        notice_type=notice_type, defaults={"email": False, "robot": True, "sms": True}
    )


@override_settings(**LOOPBACK)
class ChannelTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)

    def setUp(self):
        self.fake = FakeGateway().__enter__()
        self.addCleanup(self.fake.__exit__)

    def remind(self, *units, kind="manual"):
        return send_reminders(
            self.plan, W20, kind=kind, departments=[u.pk for u in units], sent_by=self.office
        )

    def deliver_all(self):
        for pk in (
            Delivery.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True)
        ):
            send_one(pk)
        return sorted(Delivery.objects.values_list("channel", "state"))


class PayloadTests(ChannelTestCase):
    def test_wecom_text_is_the_documented_payload_with_the_customary_wording(self):
        set_robot(self.drc, "wecom", self.fake.url(f"/cgi-bin/webhook/send?key={WECOM_KEY}"))
        self.remind(self.drc)
        self.assertEqual(self.deliver_all(), [("robot", "sent")])
        (request,) = self.fake.requests
        self.assertEqual(request["path"], "/cgi-bin/webhook/send")
        self.assertEqual(request["query"], {"key": WECOM_KEY})
        self.assertEqual(request["content_type"], "application/json; charset=utf-8")
        self.assertEqual(set(request["body"]), {"msgtype", "text"})
        self.assertEqual(request["body"]["msgtype"], "text")
        content = request["body"]["text"]["content"]
        self.assertTrue(content.startswith("【东昌府区督查室】催办：区发展和改革局，2022年第20周"))
        self.assertIn("任务编号：1、", content)
        self.assertIn("报送截止 5月19日17:00", content)
        self.assertIn(
            "详情：https://ducha.example.gov.cn/tasks/mine/?plan=2022&period=2022-W20", content
        )
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.attempts, delivery.text), (1, content))
        self.assertIn('"errcode": 0', delivery.reply)

    def test_wecom_markdown(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k1"), fmt="markdown")
        self.remind(self.drc)
        self.deliver_all()
        body = self.fake.requests[0]["body"]
        self.assertEqual(body["msgtype"], "markdown")
        self.assertEqual(set(body["markdown"]), {"content"})
        self.assertTrue(body["markdown"]["content"].startswith("**【东昌府区督查室】催办**"))
        self.assertIn(
            "[查看详情](https://ducha.example.gov.cn/tasks/mine/", body["markdown"]["content"]
        )

    def test_dingtalk_signed_carries_timestamp_and_sign_as_documented(self):
        url = self.fake.url(f"/robot/send?access_token={DING_TOKEN}")
        set_robot(self.drc, "dingtalk", url, DING_SECRET)
        before = int(time.time() * 1000)
        self.remind(self.drc)
        self.deliver_all()
        (request,) = self.fake.requests
        query = request["query"]
        self.assertEqual(set(query), {"access_token", "timestamp", "sign"})
        timestamp = int(query["timestamp"])
        self.assertTrue(before <= timestamp <= int(time.time() * 1000))
        expected = base64.b64encode(
            hmac.new(
                DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        self.assertEqual(query["sign"], expected)  # parse_qs undid the urlencoding
        self.assertIn(f"sign={DingTalkRobot.sign(DING_SECRET, timestamp)}", request["raw_query"])
        self.assertEqual(unquote_plus(DingTalkRobot.sign(DING_SECRET, timestamp)), expected)
        self.assertEqual(request["body"]["msgtype"], "text")
        self.assertIn("【东昌府区督查室】催办", request["body"]["text"]["content"])

    def test_dingtalk_markdown_has_title_and_text_and_no_sign_without_a_secret(self):
        set_robot(self.drc, "dingtalk", self.fake.url("/robot/send?access_token=t"), fmt="markdown")
        self.remind(self.drc)
        self.deliver_all()
        request = self.fake.requests[0]
        self.assertEqual(request["query"], {"access_token": "t"})
        self.assertEqual(set(request["body"]["markdown"]), {"title", "text"})
        self.assertIn("督查室催办", request["body"]["markdown"]["title"])

    def test_sms_posts_credentials_template_and_short_params(self):
        enable_sms(self.fake.url("/sms/send"), self.staff)
        self.remind(self.drc)
        self.assertEqual(self.deliver_all(), [("sms", "sent")])
        body = self.fake.bodies("/sms")[0]
        self.assertEqual(
            {k: body[k] for k in ("account", "password", "template_id", "mobile", "sign_name")},
            {
                "account": "ak-1",
                "password": "pw-very-secret",
                "template_id": "SMS_123",
                "mobile": "13800138000",
                "sign_name": "督查",
            },
        )
        params = body["params"]
        self.assertEqual(params["unit"], "区发展和改革局")
        self.assertEqual(params["period"], "第20周")
        self.assertEqual(params["deadline"], "5月19日17:00")
        self.assertTrue(all(len(v) <= texts.SMS_CONTENT_MAX for v in params.values()))
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.label, "staff 138****8000")
        self.assertTrue(delivery.text.startswith("【东昌府区督查室】催办：区发展和改革局，任务1、"))
        self.assertNotIn("pw-very-secret", delivery.reply + delivery.text)


class HostileTextTests(ChannelTestCase):
    def test_nothing_a_person_types_breaks_the_json_the_markdown_or_the_template(self):
        hostile = texts.Message(
            headline='催办"}\n',
            unit="区发展和改革局】【伪造签名",
            body='**粗体** [链接](http://evil.example) ${code} "}],\x00\x1b' + "长" * 5000,
            numbers=("1",) * 30,
            path="/tasks/mine/",
        )
        text = texts.robot_text(hostile, sender="东昌府区督查室", site_url="https://x.gov.cn")
        markdown = texts.robot_markdown(hostile, sender="东昌府区督查室", site_url="")
        self.assertLessEqual(len(text), texts.ROBOT_MAX)
        self.assertLessEqual(len(markdown), texts.ROBOT_MAX)
        self.assertNotIn("\x00", text + markdown)
        self.assertTrue(text.endswith("详情：https://x.gov.cn/tasks/mine/"))
        self.assertNotIn("](http://evil", markdown)
        self.assertNotIn("**粗体**", markdown)
        self.assertEqual(json.loads(json.dumps({"c": text}))["c"], text)
        params = texts.sms_params(hostile)
        self.assertTrue(all(len(v) <= texts.SMS_CONTENT_MAX for v in params.values()))
        self.assertTrue(all(c not in "".join(params.values()) for c in "【】${}"))
        self.assertLessEqual(len(params["unit"]), texts.SMS_PARAM_MAX)


class FailureTests(ChannelTestCase):
    def test_a_500_is_retried_and_then_sent_once(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        self.fake.script = ["500"]
        self.remind(self.drc)
        self.assertEqual(self.deliver_all(), [("robot", "queued")])
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.attempts, delivery.last_error[:8]), (1, "HTTP 500"))
        self.assertEqual(self.deliver_all(), [("robot", "sent")])
        self.assertEqual(Delivery.objects.get().attempts, 2)
        self.assertEqual(len(self.fake.requests), 2)

    def test_a_timeout_is_retried_and_recorded(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        self.fake.script = ["slow"]
        self.remind(self.drc)
        self.deliver_all()
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.state, "queued")
        self.assertIn("timed out", delivery.last_error)
        self.deliver_all()
        self.assertEqual(Delivery.objects.get().state, "sent")

    def test_a_gateway_error_code_in_a_200_is_retried_then_failed_with_the_reply(self):
        set_robot(self.drc, "wecom", self.fake.url(f"/cgi-bin/webhook/send?key={WECOM_KEY}"))
        self.fake.script = [("errcode", 93000)] * 3
        created = self.remind(self.drc)
        for _ in range(4):
            self.deliver_all()
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 3))
        self.assertEqual(delivery.last_error, "网关返回错误码 93000")
        self.assertIn("93000", delivery.reply)
        self.assertEqual(len(self.fake.requests), 3)
        # The in-app notices are there all the same.
        self.assertEqual(created[0].recipients, 2)
        self.assertEqual(self.staff.notifications.count(), 1)

    def test_a_redirect_is_not_followed(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        self.fake.script = [("redirect", self.fake.url("/elsewhere"))]
        self.remind(self.drc)
        self.assertEqual(self.deliver_all(), [("robot", "failed")])
        self.assertEqual([r["path"] for r in self.fake.requests], ["/cgi-bin/webhook/send"])
        self.assertEqual(Delivery.objects.get().last_error, "HTTP 302")


class OnceTests(ChannelTestCase):
    def test_no_duplicate_when_the_job_or_the_reminder_runs_again(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        enable_sms(self.fake.url("/sms/send"), self.staff)
        self.remind(self.drc)
        self.deliver_all()
        for pk in Delivery.objects.values_list("pk", flat=True):
            self.assertEqual(send_one(pk), "sent")  # a redelivered job message
        self.assertEqual(self.remind(self.drc), [])  # the office clicks again
        self.assertEqual(len(self.fake.requests), 2)
        self.assertEqual(
            sorted(Delivery.objects.values_list("channel", "state")),
            [("robot", "sent"), ("sms", "sent")],
        )

    @override_settings(NOTIFY_DAILY_CAP=2)
    def test_the_daily_cap_per_recipient_holds(self):
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        for kind in ("before_due", "after_due", "manual"):
            self.remind(self.drc, kind=kind)
        self.assertEqual(
            self.deliver_all(), [("robot", "sent"), ("robot", "sent"), ("robot", "skipped")]
        )
        self.assertEqual(len(self.fake.requests), 2)
        self.assertIn("每日上限", Delivery.objects.get(state="skipped").last_error)


class GateTests(ChannelTestCase):
    @override_settings(NOTIFY_TEST_LOOPBACK=False, NOTIFY_ALLOWED_HOSTS=["127.0.0.1", "10.1.2.3"])
    def test_production_defaults_never_post_to_loopback_or_private_addresses(self):
        for url, reason in (
            (self.fake.url("/x"), "https://"),  # http
            (f"https://127.0.0.1:{self.fake.port}/x", "本机"),
            ("https://10.1.2.3/x", "内网"),
        ):
            with self.assertRaises(egress.Refused) as caught:
                egress.post_json(url, {"msgtype": "text"})
            self.assertIn(reason, str(caught.exception))
        self.assertEqual(self.fake.requests, [])

    def test_the_settings_refuse_the_loopback_switch_in_production(self):
        import os
        import subprocess
        import sys

        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "dudu.example",
            "NOTIFY_TEST_LOOPBACK": "1",
        }
        done = subprocess.run(
            [sys.executable, "-c", "import config.settings"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("NOTIFY_TEST_LOOPBACK", done.stderr)


def test_the_default_allow_list_is_the_public_robot_hosts_over_https():
    from django.conf import settings

    assert settings.NOTIFY_ALLOWED_HOSTS == ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    assert settings.NOTIFY_TEST_LOOPBACK is False
    assert settings.NOTIFY_ALLOW_PRIVATE_NETWORK is False
    good = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert egress.check_url(f"  {good} ") == good
    assert egress.check_url("https://OAPI.dingtalk.com/robot/send?access_token=x")
    for bad, reason in (
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "https://"),
        ("https://evil.example/hook", "不允许向 evil.example 发送"),
        ("https://127.0.0.1/hook", "不允许向 127.0.0.1"),
        ("https://qyapi.weixin.qq.com.evil.example/x", "不允许"),
        ("https://u:p@qyapi.weixin.qq.com/x", "用户名或密码"),
        ("https://qyapi.weixin.qq.com/x#frag", "片段"),
        ("https://qyapi.weixin.qq.com/x\x00", "控制字符"),
        ("https://qyapi.weixin.qq.com:99999/x", "格式不正确"),
        ("file:///etc/passwd", "https://"),
        ("https://qyapi.weixin.qq.com/" + "k" * 1000, "过长"),
        ("", "请填写"),
    ):
        with pytest.raises(egress.Refused, match=reason):
            egress.check_url(bad)


class SignalChannelTests(ChannelTestCase):
    def instruction(self):
        from leaders.models import Instruction

        return Instruction.objects.create(
            task=self.task["15"],
            leader=self.zhangya,
            text='抓紧推进"}]，**六月底前**完成',
            state="published",
            published_at="2022-05-17T10:00:00+08:00",
        )

    def test_instructions_and_returns_are_in_app_only_by_default(self):
        from notifications.models import Notification
        from notifications.receivers import notify_unit_of_return, notify_units_of_instruction
        from tasks.models import ProgressReport

        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"))
        notify_units_of_instruction(None, instruction=self.instruction())
        report = ProgressReport.objects.create(
            task=self.task["15"],
            department=self.drc,
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            state="returned",
            created_by=self.staff,
            updated_by=self.staff,
        )
        notify_unit_of_return(None, report=report, reason="数据有误")
        self.assertEqual(Delivery.objects.count(), 0)
        self.assertEqual(
            sorted(Notification.objects.values_list("kind", flat=True)),
            ["instruction", "instruction", "returned", "returned"],
        )

    def test_an_instruction_reaches_the_unit_robot_when_the_office_turns_it_on(self):
        from notifications.receivers import notify_units_of_instruction

        NoticeRule.objects.create(notice_type="instruction", robot=True)
        set_robot(self.drc, "wecom", self.fake.url("/cgi-bin/webhook/send?key=k"), fmt="markdown")
        instruction = self.instruction()
        notify_units_of_instruction(None, instruction=instruction)
        notify_units_of_instruction(None, instruction=instruction)  # raised twice: sent once
        self.assertEqual(self.deliver_all(), [("robot", "sent")])
        (body,) = self.fake.bodies()
        content = body["markdown"]["content"]
        self.assertTrue(content.startswith("**【东昌府区督查室】批示**"))
        self.assertIn('张娅对任务 15 作出批示：抓紧推进"}］，＊＊六月底前＊＊完成', content)
        self.assertIn(
            f"(https://ducha.example.gov.cn/leaders/instructions/{instruction.pk}/)", content
        )


class SweepTests(ChannelTestCase):
    def test_the_sweep_picks_messages_whose_job_never_came_or_was_lost(self):
        import datetime

        from django.utils import timezone

        from notifications.jobs import due_for_sweep

        now = timezone.now()

        def row(key, minutes_ago, attempts=0, state="queued"):
            return Delivery.objects.create(
                key=key,
                source="test:1",
                notice_type="reminder",
                channel="email",
                recipient_key=f"email:{key}",
                text="x",
                state=state,
                attempts=attempts,
                created_at=now - datetime.timedelta(minutes=minutes_ago),
            ).pk

        fresh = row("fresh", 2)
        waiting = row("waiting", 30)
        retrying = row("retrying", 30, attempts=2)
        lost = row("lost", 180, attempts=2)
        row("sent", 300, attempts=1, state="sent")
        row("failed", 300, attempts=5, state="failed")
        self.assertEqual(due_for_sweep(now), [waiting, lost])
        self.assertNotIn(fresh, due_for_sweep(now))
        self.assertNotIn(retrying, due_for_sweep(now))
