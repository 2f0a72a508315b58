"""The office's week in Chromium at 1366 and 390 px (see conftest.py; the app runs as of
Wednesday 2022-05-18: week 19 is closed, week 20's reports are due Thursday 17:00).

The dashboard opens on week 19 (its gaps are 逾期未报), switches to week 20 (its gaps are
待报, not late); 催办 asks first with the count and lists the units nobody can be reached in,
then says whom it notified; a second reminder is the 二催; the review queue filters and
accepts a batch. Screenshots go to /work/shots/office (or $OFFICE_SHOTS); any console error
fails the test (the `ui` fixture)."""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("OFFICE_SHOTS", "/work/shots/office"))


def shoot(ui, page, name: str) -> None:
    """The page at 1366 px, then the same page (a POST's answer too) narrowed to 390 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1366.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-390.png", full_page=True)
    page.set_viewport_size(WIDE)


def office(ui):
    page = ui.new_page(viewport=WIDE)
    page.goto("/login/")
    page.get_by_label("用户名").fill("ducha")
    page.get_by_label("密码").fill("demo-ducha-2022")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def test_week_office_dashboard_reminders_and_review(ui):
    page = office(ui)
    page.goto("/?plan=2022")  # an earlier scenario may have imported another plan

    # --- the dashboard opens on last week (final), its gaps are overdue -------------------
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("第19周（5月9日—5月15日）")
    expect(summary).to_contain_text("已截止")
    expect(summary.locator("[data-overdue]")).to_contain_text("逾期未报")
    expect(page.get_by_role("link", name=re.compile("上期 · 第19周"))).to_have_attribute(
        "aria-current", "page"
    )
    lagging = page.locator("[data-lagging]")
    expect(lagging.locator("thead")).to_contain_text("牵头单位")
    expect(lagging.locator("thead")).to_contain_text("牵头领导")
    expect(lagging.get_by_role("button", name="催办").first).to_be_visible()
    expect(page.locator("[data-units-rest] summary")).to_contain_text("全部")
    shoot(ui, page, "01-dashboard-last-week")

    # --- this week before Thursday 17:00: not yet due is 待报, never 逾期 -----------------
    page.get_by_role("link", name=re.compile("本期 · 第20周")).click()
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("第20周（5月16日—5月22日）")
    expect(summary).to_contain_text("尚未截止")
    expect(summary.locator("[data-pending]")).to_contain_text("待报")
    expect(summary).to_contain_text("未到截止时间，不算逾期")
    expect(summary).not_to_contain_text("逾期未报")
    shoot(ui, page, "02-dashboard-this-week-before-deadline")

    # --- 催办: confirm with the count, then the result names the units to phone -----------
    page.get_by_role("button", name="一键催办全部未报送单位").click()
    confirm = page.locator("[data-reminder-confirm]")
    expect(confirm).to_contain_text("将向")
    expect(confirm).to_contain_text("没有可接收通知的账号")
    units = int(confirm.locator("[data-units]").inner_text())
    unreached = page.locator("[data-unreached] .unit")
    to_phone = unreached.count()
    assert 0 < to_phone < units
    shoot(ui, page, "03-reminder-confirm")
    page.get_by_label("督查室留言（可选，附在通知后）").fill("请于今日下班前补报。")
    page.get_by_role("button", name=re.compile("确认发送")).click()
    result = page.locator("[data-result]")
    expect(result).to_contain_text(
        re.compile(
            rf"已通知 {units - to_phone} 个单位（\d+ 人），{to_phone} 个单位没有可接收通知的账号"
        )
    )
    expect(page.locator("[data-unreached] .unit")).to_have_count(to_phone)
    shoot(ui, page, "04-reminder-result")

    # --- a second reminder in the same week is the 二催 and says so ------------------------
    page.goto("/notifications/reminders/")
    plan_2022 = page.locator("section.card").filter(
        has=page.get_by_role("heading", name=re.compile(r"^2022年"))
    )
    row = plan_2022.get_by_role("row").filter(has_text="区发展和改革局").first
    expect(row).to_contain_text(re.compile("再次催办即[二三]催"))
    word = re.search("再次催办即(.催)", row.inner_text())[1]  # 三催 after an earlier scenario's
    row.get_by_role("checkbox").check()
    plan_2022.get_by_role("button", name="催办所选单位").click()
    expect(page.locator("[data-reminder-confirm]")).to_contain_text(word)
    page.get_by_role("button", name=re.compile("确认发送")).click()
    expect(page.locator("[data-result]")).to_contain_text("已通知 1 个单位")

    # --- the review queue: filter by state and period, accept a batch ----------------------
    page.goto("/tasks/review/")
    filters = page.locator("[data-review-filters]")
    filters.get_by_label("状态").select_option(label="已审核")
    filters.get_by_label("期次").select_option(label="第19周（5月9日—5月15日）")
    filters.get_by_role("button", name="筛选").click()
    rows = page.locator("table.table tbody tr")
    expect(rows.first).to_contain_text("第19周")
    expect(rows.first).to_contain_text("已审核")
    before = int(re.search(r"共 (\d+) 份", page.content())[1])
    assert before >= 2
    shoot(ui, page, "05-review-queue-filtered")
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    page.get_by_role("button", name="采纳所选报告").click()
    expect(page.get_by_role("listitem").filter(has_text="已采纳 2 份报告。")).to_be_visible()
    after = int(re.search(r"共 (\d+) 份", page.content())[1])
    assert after == before - 2  # still filtered: the two accepted ones have left the queue
    shoot(ui, page, "06-review-queue-after-batch-accept")
