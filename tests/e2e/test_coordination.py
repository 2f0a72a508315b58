"""需协调事项 and 进展停滞 in Chromium, at 1366 px and 390 px: a unit copies last week's report,
marks its problem 需领导协调 and submits; the office sees the report flagged 与上期基本相同 on
its review page and the item in its list; the leader answers on the portfolio with a 批示; the
unit resolves the item from 我的任务.

Screenshots go to E2E_SCREENSHOTS (or var/e2e-screenshots) as coordination-<nn>-<step>-<width>.png.
"""

import re

import pytest

from tests.e2e.test_week_leaders import PHONE, WIDE, login, success

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

PROBLEM = "E2E协调：项目用地指标尚未下达，需区领导协调自然资源部门。"
ANSWER = "E2E批示：请自然资源分局本周内对接，优先保障用地指标。"
NOTE = "E2E办结：用地指标已下达，问题已解决。"


class Shots:
    def __init__(self, directory):
        self.directory, self.step = directory, 0

    def take(self, page, step: str) -> None:
        self.step += 1
        width = page.viewport_size["width"]
        page.screenshot(
            path=self.directory / f"coordination-{self.step:02d}-{step}-{width}.png",
            full_page=True,
        )
        # Nothing wider than the screen on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, step


def both(ui, shots, username, url, step, check):
    for viewport in (WIDE, PHONE):
        page = login(ui, username, viewport)
        page.goto(url)
        check(page)
        shots.take(page, step)
        if viewport is WIDE:
            wide = page
    return wide


def test_a_problem_needing_a_leader_is_answered_and_resolved_and_a_copy_is_flagged(
    ui, screenshot_dir
):
    shots = Shots(screenshot_dir)

    # --- the unit copies last week, asks for its leader, submits ------------------------------
    unit = login(ui, "fgj", WIDE)
    unit.goto("/tasks/2022/19/report/?period=2022-W20")
    unit.get_by_role("button", name="复制上期内容").click()
    success(unit, "已复制上一期的内容")
    unit.get_by_label("存在问题").fill(PROBLEM)
    unit.get_by_label("需领导协调").check()
    shots.take(unit, "report-form")
    phone = login(ui, "fgj", PHONE)
    phone.goto(unit.url)
    expect(phone.get_by_label("需领导协调")).to_be_visible()
    shots.take(phone, "report-form")
    unit.get_by_role("button", name="提交", exact=True).click()
    success(unit, "报告已提交")

    # --- the office: the copy is flagged; the item is on its list ------------------------------
    def flagged(page):
        row = (
            page.locator("tr")
            .filter(has_text="区发展和改革局")
            .filter(has=page.get_by_role("link", name=re.compile(r"2022年 19$")))
        )
        expect(row.locator(".stale-flag")).to_have_text(re.compile(r"与上期基本相同 \d+%"))

    both(ui, shots, "ducha", "/tasks/review/?q=19", "office-review-flagged", flagged)

    def listed(page):
        expect(page.get_by_role("link", name=re.compile("E2E协调"))).to_be_visible()

    office = both(
        ui, shots, "ducha", "/leaders/coordination/?state=active&q=E2E", "office-list", listed
    )
    item_url = office.get_by_role("link", name=re.compile("E2E协调")).get_attribute("href")
    assert re.fullmatch(r"/leaders/coordination/\d+/", item_url)

    # --- the leader: first on the portfolio, answers with a 批示 ------------------------------
    leader = login(ui, "zhangya", WIDE)
    portfolio = leader.url + "?plan=2022"
    leader.goto(portfolio)
    panel = leader.locator("section.coordination-open")
    expect(panel).to_contain_text("E2E协调")
    shots.take(leader, "portfolio-open-items")
    phone_leader = login(ui, "zhangya", PHONE)
    phone_leader.goto(portfolio)
    expect(phone_leader.locator("section.coordination-open")).to_be_visible()
    shots.take(phone_leader, "portfolio-open-items")
    panel.locator("li").filter(has_text="E2E协调").get_by_role("link", name="办理").click()
    expect(leader).to_have_url(re.compile(re.escape(item_url) + "$"))
    shots.take(leader, "item-for-leader")
    leader.get_by_role("link", name="写批示答复").click()
    leader.get_by_label("批示内容").fill(ANSWER)
    leader.get_by_role("button", name="发布").click()
    leader.get_by_role("button", name="确认发布").click()
    success(leader, "批示已发布")
    leader.goto(item_url)
    expect(leader.locator("h1 .badge")).to_have_text("协调中")
    expect(leader.locator("body")).to_contain_text(ANSWER)

    # --- the unit resolves it from 我的任务 ------------------------------------------------------
    def todo(page):
        expect(page.locator("section.coordination-todo")).to_contain_text("E2E协调")

    unit = both(ui, shots, "fgj", "/tasks/mine/", "my-tasks-item", todo)
    unit.locator("section.coordination-todo li").filter(has_text="E2E协调").get_by_role(
        "link"
    ).first.click()
    unit.get_by_label("已解决").check()
    unit.get_by_label(re.compile("办结说明")).fill(NOTE)
    shots.take(unit, "item-close-form")
    unit.get_by_role("button", name="办结").click()
    success(unit, "事项已标记为已解决")
    expect(unit.locator("h1 .badge")).to_have_text("已解决")
    expect(unit.locator("ol.trail")).to_contain_text("批示答复")
    expect(unit.locator("ol.trail")).to_contain_text(NOTE)
    shots.take(unit, "item-resolved")
    phone_unit = login(ui, "fgj", PHONE)
    phone_unit.goto(item_url)
    shots.take(phone_unit, "item-resolved")
    ui.assert_no_errors()
