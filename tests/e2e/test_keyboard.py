"""A report filed with the keyboard alone: login → 我的任务 → 填报 → a refused 提交 → 已提交.

Only Tab, Shift+Tab, Enter, Space and typing; no click, no fill, no focus() from the test. The
Tab presses are counted and printed (the figure the accessibility issue asks for); the refused
提交 checks that the error summary takes the focus, the title says 错误 and the field is marked.
"""

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

PROGRESS = "键盘填报：项目前期手续已全部办结"
# Scenario 1 (test_scenarios.py, which runs later) reports on task 7 itself.
TAKEN = {"7"}
# What the focused element is, in one line: tag, name, type, id, its text, its row's first cell.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "body";
  const row = e.closest("tr");
  return [e.tagName.toLowerCase(), e.getAttribute("name") || "", e.type || "", e.id || "",
          (e.innerText || e.value || "").trim().slice(0, 40),
          row ? row.cells[0].innerText.trim() : ""].join("|");
}"""


class Keyboard:
    def __init__(self, page):
        self.page, self.tabs = page, 0

    def focused(self) -> str:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, pattern: str, limit: int = 120) -> int:
        """Tab until the focused element's description matches; the presses it took."""
        wanted, presses = re.compile(pattern), 0
        while not wanted.search(self.focused()):
            assert presses < limit, f"{pattern!r} not reached in {limit} Tabs on {self.page.url}"
            self.page.keyboard.press("Tab")
            presses += 1
        self.tabs += presses
        return presses

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_keyboard_only_login_to_submitted_report(ui, capsys):
    page = ui.new_page()
    keys = Keyboard(page)
    page.goto("/login/")
    keys.tab_to(r"^input\|username\|")
    keys.type("fgj")
    keys.tab_to(r"^input\|password\|")
    keys.type(PASSWORDS["fgj"])
    with page.expect_navigation():
        keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/tasks/mine/"))

    # 我的任务: the skip link (where there is one) jumps over the header, then the first 填报.
    start = keys.tabs
    page.keyboard.press("Tab")
    keys.tabs += 1
    if "跳到正文" in keys.focused():
        keys.press("Enter")
    taken = "|".join(TAKEN)
    keys.tab_to(rf"^a\|\|\|\|填报\|(?!(?:{taken})$)")
    to_report = keys.tabs - start
    with capsys.disabled():
        print(f"\nkeyboard: {to_report} Tabs from 我的任务 to the first free 填报")
    with page.expect_navigation():
        keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/report/"))
    number = re.search(r"/tasks/[^/]+/([^/]+)/report/", page.url)[1]
    # The first 填报 may be in the 待办 block, for an earlier week still open.
    period = re.search(r"period=([^&]+)", page.url)

    # An empty 提交 is refused: the summary has the focus, the title and the field say so.
    keys.tab_to(r"^button\|action\|submit\|\|提交\|")
    with ui.expecting(400), page.expect_navigation():
        keys.press("Enter")
    assert page.title().startswith("错误："), page.title()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    progress = page.locator("#id_progress")
    expect(progress).to_have_attribute("aria-invalid", "true")
    described = progress.get_attribute("aria-describedby").split()
    for ref in described:
        assert page.locator(f"#{ref}").count() == 1, f"aria-describedby names a missing #{ref}"
    expect(page.locator(f"#{described[-1]}")).to_contain_text("工作进展")

    # The summary's link leads to the field; fill in what 提交 needs and submit with Space.
    keys.tab_to(r"^a\|\|\|\|工作进展")
    keys.press("Enter")
    keys.tab_to(r"^textarea\|progress\|")
    keys.type(PROGRESS)
    keys.tab_to(r"^input\|percent\|")
    keys.press("Control+a")
    keys.type("40")
    keys.tab_to(r"^button\|action\|submit\|\|提交\|")
    with page.expect_navigation():
        keys.press(" ")
    expect(page).to_have_url(re.compile(r"/tasks/mine/"))
    expect(page.get_by_role("status")).to_contain_text(f"任务 {number} 的报告已提交")
    if period:  # the check below reads that week's list (not part of the keyboard walk)
        page.goto(page.url.split("#")[0].split("?")[0] + f"?period={period[1]}")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=number, exact=True))
    expect(row.first).to_contain_text("已提交")
    with capsys.disabled():
        print(f"keyboard: {keys.tabs} Tabs in all, login to 已提交")
    ui.shot(page, "keyboard-submitted")
