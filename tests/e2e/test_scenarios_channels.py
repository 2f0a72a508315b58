"""Issue 19's walk in Chromium: the office sets group robots for two units and SMS for one
person, sends 催办, and the result page shows each delivery; the fake gateway on loopback saw
exactly one message each (sent by the real Celery worker of the e2e server)."""

import re
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM
from tests.fake_gateway import FakeGateway

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

WIDE = {"width": 1366, "height": 900}


def shots(ui, page, step: str) -> None:
    """<scenario>-<nn>-<step>-1366.png and -390.png of the page as it is now."""
    ui.step += 1
    name = f"{ui.scenario}-{ui.step:02d}-{step}"
    page.set_viewport_size(WIDE)
    page.screenshot(path=ui.shots / f"{name}-1366.png", full_page=True)
    small = ui.new_page(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    )
    small.goto(page.url)
    small.screenshot(path=ui.shots / f"{name}-390.png", full_page=True)
    small.context.close()


def saved(page) -> None:
    expect(page.get_by_role("listitem").filter(has_text="已保存")).to_be_visible()


def test_s6_robots_sms_and_the_reminder_result(ui):
    with FakeGateway() as fake:
        page = ui.login("ducha")
        page.get_by_role("link", name="通知渠道", exact=True).click()
        expect(page.get_by_role("heading", name="通知渠道", exact=True)).to_be_visible()
        shots(ui, page, "channel-settings")

        # 区发展和改革局: a 企业微信 robot, and SMS for its 填报员 fgj.
        page.get_by_role("row").filter(has_text="区发展和改革局").first.get_by_role(
            "link", name="设置"
        ).click()
        page.get_by_label("群机器人").select_option("wecom")
        page.get_by_label("Webhook 地址").fill(fake.url("/cgi-bin/webhook/send?key=e2e-wecom-key"))
        person = page.get_by_role("row").filter(has_text="fgj").first
        person.locator("input[type=text]").fill("13800138000")
        person.get_by_role("checkbox").check()
        page.get_by_role("button", name="保存").click()
        saved(page)
        expect(page.get_by_text("e2e-wecom-key")).to_have_count(0)
        shots(ui, page, "unit-drc")

        # 堂邑镇: a signed 钉钉 robot.
        page.goto("/notifications/channels/")
        page.get_by_role("row").filter(has_text="堂邑镇").first.get_by_role(
            "link", name="设置"
        ).click()
        page.get_by_label("群机器人").select_option("dingtalk")
        page.get_by_label("Webhook 地址").fill(fake.url("/robot/send?access_token=e2e-ding"))
        page.get_by_label("加签密钥（钉钉，选填）").fill("SECe2e0123456789")
        page.get_by_role("button", name="保存").click()
        saved(page)

        # A hostile address is refused with a clear message.
        page.get_by_label("Webhook 地址").fill("https://evil.example/hook")
        with ui.expecting(400):  # the refusal page must have loaded before the block ends
            page.get_by_role("button", name="保存").click()
            # At the field (the error its aria-describedby names) and in the summary at the top.
            url = page.get_by_label("Webhook 地址")
            expect(url).to_have_attribute("aria-invalid", "true")
            error = page.locator("#" + url.get_attribute("aria-describedby").split()[-1])
            expect(error).to_contain_text("不允许向 evil.example 发送")
            expect(page.get_by_role("alert").get_by_role("link")).to_contain_text("Webhook 地址")
            page.wait_for_load_state("load")
        shots(ui, page, "unit-refused")

        # The SMS gateway, and SMS on for 催办.
        page.goto("/notifications/channels/sms/")
        page.get_by_label("启用短信").check()
        page.get_by_label("网关地址").fill(fake.url("/sms/send"))
        page.get_by_label("账号（AppKey）").fill("ak-e2e")
        page.get_by_label("密码（AppSecret）").fill("pw-e2e-secret")
        page.get_by_label("模板编号").fill("SMS_E2E")
        page.get_by_label("短信签名").fill("东昌府区督查室")
        page.get_by_role("button", name="保存").click()
        saved(page)
        shots(ui, page, "sms-gateway")
        page.goto("/notifications/channels/")
        page.locator("input[name=reminder__sms]").check()
        page.get_by_role("button", name="保存发送渠道").click()
        saved(page)

        # 催办 the two units.
        page.get_by_role("link", name="催办", exact=True).click()
        # One card per active plan (an earlier scenario may have imported another): the 2022 one.
        plan_2022 = page.locator("section.card").filter(
            has=page.get_by_role("heading", name=re.compile(r"^2022年"))
        )
        plan_2022.get_by_label("区发展和改革局", exact=True).check()
        plan_2022.get_by_label("堂邑镇", exact=True).check()
        plan_2022.get_by_role("button", name="催办所选单位").click()
        # The count first: two units, then 确认发送.
        expect(page.locator("[data-reminder-confirm]")).to_contain_text("将向 2 个单位")
        page.get_by_role("button", name=re.compile("确认发送")).click()
        expect(page).to_have_url(re.compile(r"/notifications/reminders/\d+/2022-W20/\?at="))
        deadline = time.monotonic() + 60
        while "等待发送" in page.content() and time.monotonic() < deadline:
            time.sleep(0.5)
            page.reload()
        result = page.locator("table")
        expect(result.get_by_text("区发展和改革局 工作群：已发送")).to_be_visible()
        expect(result.get_by_text("堂邑镇 工作群：已发送")).to_be_visible()
        expect(result.get_by_text(re.compile(r"138\*\*\*\*8000：已发送"))).to_be_visible()
        shots(ui, page, "reminder-result")

        paths = sorted(r["path"] for r in fake.requests)
        assert paths == ["/cgi-bin/webhook/send", "/robot/send", "/sms/send"], paths
        assert fake.bodies("/sms")[0]["mobile"] == "13800138000"
        (wecom,) = fake.bodies("/cgi-bin/webhook/send")
        assert wecom["msgtype"] == "text"
        assert wecom["text"]["content"].startswith("【东昌府区督查室】催办：区发展和改革局")

        # fgj sees what reaches him.
        staff = ui.login("fgj")
        staff.get_by_role("link", name="我的通知渠道").click()
        expect(staff.get_by_text("138****8000（接收短信）")).to_be_visible()
        shots(ui, staff, "mine")
