"""A leader's week in Chromium, at 1366 px and 390 px: the portfolio and its charts, a 批示
with its confirm step, a unit's 落实情况, and the leader seeing it.

Screenshots go to E2E_SCREENSHOTS (or var/e2e-screenshots) as leaders-<nn>-<step>-<width>.png;
the `ui` fixture fails the test on any console error, page error or 5xx.
"""

import re

import pytest

from tests.e2e.conftest import PASSWORDS

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
INSTRUCTION = "E2E领导周：请区发改局六月底前完成年度投资过半，每周报告进度。"
RESPONSE = "E2E落实情况：已召开专题推进会，明确六个重点项目的开工时间表。"


class Shots:
    def __init__(self, directory):
        self.directory, self.step = directory, 0

    def take(self, page, step: str, element=None) -> None:
        self.step += 1
        width = page.viewport_size["width"]
        path = self.directory / f"leaders-{self.step:02d}-{step}-{width}.png"
        (element or page).screenshot(path=path, **({} if element else {"full_page": True}))


def login(ui, username: str, viewport):
    page = ui.new_page(viewport=viewport)
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url
    return page


def success(page, text: str) -> None:
    expect(page.get_by_role("listitem").filter(has_text=text)).to_be_visible()


def check_portfolio(page, shots: Shots, label: str) -> None:
    # One wording: the menu and the page both say 我牵头的任务.
    expect(page.get_by_role("navigation").get_by_role("link", name="我牵头的任务")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("我牵头的任务")
    # The trend counts lagging tasks per week, stacked 严重滞后 / 滞后.
    trend = page.locator("svg.chart-columns")
    expect(trend).to_have_count(1)
    expect(trend.locator("title").first).to_have_text("滞后任务数（逐周）")
    # A column (its total printed above it, 0 included) for each of the last weeks.
    assert trend.locator("text.total").count() == 12
    expect(trend.locator("text.legend")).to_have_text(["严重滞后", "滞后"])
    # Indicators: the whole label (nothing cut with …) and one 序时 marker per bar.
    pace = page.locator("svg.chart-pace")
    expect(pace).to_have_count(1)
    labels = pace.locator("text.label").all_text_contents()
    assert labels and not any("…" in text for text in labels)
    bars = pace.locator("rect.bar").count()
    assert bars > 0 and pace.locator("line.expected").count() == bars
    assert pace.locator("text.pace").first.text_content().startswith("序时")
    shots.take(page, f"portfolio{label}")
    shots.take(page, f"trend-chart{label}", trend)
    shots.take(page, f"indicator-chart{label}", pace)


def test_week_of_a_leader(ui, screenshot_dir):
    shots = Shots(screenshot_dir)

    # --- the portfolio at both widths ---------------------------------------------------------
    leader = login(ui, "zhangya", WIDE)
    expect(leader).to_have_url(re.compile(r"/leaders/\d+/$"))
    # The 2022 plan by name: the other scenarios may import a newer plan for the same leader.
    portfolio_url = leader.url + "?plan=2022"
    leader.goto(portfolio_url)
    check_portfolio(leader, shots, "")
    phone_leader = login(ui, "zhangya", PHONE)
    phone_leader.goto(portfolio_url)
    check_portfolio(phone_leader, shots, "")

    # --- a 批示 on task 7, with the confirm step ----------------------------------------------
    leader.goto("/tasks/2022/7/")
    leader.get_by_role("link", name="写批示").click()
    leader.get_by_label("批示内容").fill(INSTRUCTION)
    leader.get_by_role("button", name="发布").click()
    expect(leader.get_by_role("heading", name=re.compile("确认发布批示"))).to_be_visible()
    expect(leader.locator("p.pre")).to_have_text(INSTRUCTION)
    expect(leader.locator(".confirm-step .unit").first).to_be_visible()
    expect(leader.locator(".confirm-step")).to_contain_text("区发展和改革局")
    shots.take(leader, "instruction-confirm")
    phone_leader.goto(leader.url)
    expect(phone_leader.get_by_role("button", name="确认发布")).to_be_visible()
    shots.take(phone_leader, "instruction-confirm")
    leader.get_by_role("button", name="确认发布").click()
    success(leader, "批示已发布")
    instruction_url = leader.url
    assert re.search(r"/leaders/instructions/\d+/$", instruction_url)

    # --- the unit writes its 落实情况 ----------------------------------------------------------
    unit = login(ui, "fgj", WIDE)
    unit.goto(instruction_url)
    expect(unit.locator("p.pre").first).to_have_text(INSTRUCTION)
    unit.get_by_label("本单位落实情况").fill(RESPONSE)
    shots.take(unit, "response-form")
    phone_unit = login(ui, "fgj", PHONE)
    phone_unit.goto(instruction_url)
    expect(phone_unit.get_by_role("button", name="报送落实情况")).to_be_visible()
    shots.take(phone_unit, "response-form")
    unit.get_by_role("button", name="报送落实情况").click()
    success(unit, "落实情况已报送")
    expect(unit.locator("#responses")).to_contain_text(RESPONSE)

    # --- the leader sees it: a count on the portfolio, the text on the instruction -----------
    leader.goto(portfolio_url)
    notice = leader.locator("section.new-responses")
    expect(notice).to_contain_text(re.compile(r"有 \d+ 条新的落实情况"))
    shots.take(leader, "portfolio-new-response")
    phone_leader.goto(portfolio_url)
    expect(phone_leader.locator("section.new-responses")).to_be_visible()
    shots.take(phone_leader, "portfolio-new-response")
    notice.get_by_role("link", name=re.compile("任务 7")).last.click()
    responses = leader.locator("#responses")
    expect(responses).to_contain_text(RESPONSE)
    expect(responses).to_contain_text("区发展和改革局")
    expect(responses.locator(".badge.new")).to_have_count(1)
    shots.take(leader, "instruction-with-response")
    phone_leader.goto(instruction_url)
    expect(phone_leader.locator("#responses")).to_contain_text(RESPONSE)
    shots.take(phone_leader, "instruction-with-response")
    ui.assert_no_errors()
