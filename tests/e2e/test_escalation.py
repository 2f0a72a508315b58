"""三色督办单 in Chromium at 1366 and 390 px (issue 17; the app runs as of 2022-05-18).

`manage.py setup`'s demo ran the weekly roll-up's proposal for week 19: tasks 滞后 for three
weeks in a row have a 黄色督办单 待确认. The office finds one on a task of 区发展和改革局,
confirms it (numbered 督办〔2022〕N号), the unit (fgj) opens it from 督办单, replies with its
整改措施, and the office marks it resolved. The ranking page is looked at by both on the way.
Screenshots go to /work/shots/escalation (or $ESCALATION_SHOTS)."""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, PASSWORDS

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("ESCALATION_SHOTS", "/work/shots/escalation"))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1366.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-390.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390"
    page.set_viewport_size(WIDE)


def login(ui, username):
    page = ui.new_page(viewport=WIDE)
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def test_office_confirms_a_proposed_yellow_notice_and_the_unit_replies(ui):
    office = login(ui, "ducha")
    office.get_by_role("link", name="督办单").first.click()
    office.get_by_label("状态").select_option(label="待确认")
    office.get_by_role("button", name="筛选").click()
    rows = office.locator("[data-escalations] tbody tr")
    proposal = rows.filter(has_text="区发展和改革局").filter(has_text="黄色督办单").first
    expect(proposal).to_contain_text(re.compile(r"连续\d期滞后"))
    shoot(office, "01-office-proposals")
    proposal.get_by_role("link", name="待确认").click()
    expect(office.locator("[data-state]")).to_have_text("待确认")
    shoot(office, "02-office-proposal")
    office.get_by_role("button", name="确认并印发").click()
    expect(office.locator("[data-state]")).to_have_text("待整改")
    heading = office.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"督办〔2022〕\d+号"))
    number = re.search(r"督办〔2022〕\d+号", heading.inner_text())[0]
    url = office.url
    shoot(office, "03-office-confirmed")

    unit = login(ui, "fgj")
    unit.get_by_role("link", name="督办单").first.click()
    unit.get_by_role("link", name=number).click()
    expect(unit.get_by_role("heading", name="回复整改措施")).to_be_visible()
    unit.get_by_label(re.compile("整改措施")).fill("成立专班每周调度，倒排工期，6月底前完成。")
    shoot(unit, "04-unit-reply")
    unit.get_by_role("button", name="提交整改措施").click()
    expect(unit.locator("[data-state]")).to_have_text("已回复")
    expect(unit.locator("[data-measures]")).to_contain_text("成立专班")
    unit.get_by_role("link", name="单位考核").first.click()
    expect(unit.locator("[data-own-score]")).to_contain_text("区发展和改革局")
    expect(unit.locator("[data-ranking]")).to_have_count(0)  # not published
    shoot(unit, "05-unit-own-score")

    office.goto(url)
    office.get_by_role("button", name="标记为已办结").click()
    expect(office.locator("[data-state]")).to_have_text("已办结")
    expect(office.locator(".trail")).to_contain_text("回复")
    shoot(office, "06-office-resolved")
    office.get_by_role("link", name="单位考核").first.click()
    expect(office.locator("[data-formula]")).to_contain_text("按时报送率")
    expect(office.locator("tr.rank-top").first).to_be_visible()
    shoot(office, "07-office-ranking")
