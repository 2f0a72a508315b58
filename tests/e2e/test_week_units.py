"""The week of a unit (填报员 fgj) and its head (fgj-head) in Chromium, at 1366 px and 390 px.

u1: the head returns a week-19 report; on the week-20 page the unit's 待办 block lists it first;
the unit removes a file before submitting, is asked before 复制上期内容 replaces typed text and
before leaving with unsaved changes, meets an edit conflict (the head saved meanwhile), sees
both versions, keeps its file and saves over it; 提交 without a percent is refused.
u2: the head sees the 待审核 count and the notification, approves several reports in one go,
and reads a report beside last period's. u3: on a phone the lists are cards, filters fold
behind one button, and nothing scrolls sideways.
"""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, PHONE

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

W19 = "2022-W19"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
REASON = "E2E退回：请补充第19周的投资完成数据"


def success(page, text: str) -> None:
    expect(page.locator(".messages li").filter(has_text=text)).to_be_visible()


def phone_page(ui, page):
    """The same person on a 390 px phone."""
    return ui.new_page(viewport=PHONE, storage_state=page.context.storage_state())


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"


def assert_cards(page) -> None:
    """The list's rows are cards: every row a block, its action button inside the screen."""
    rows = page.locator("table.cards tbody tr")
    assert rows.count() > 0, page.url
    assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = (
        rows.first.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    )
    assert label not in ("none", "normal", '""'), label
    button = rows.first.locator("a.button").first
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert_no_sideways_scroll(page)


def test_u1_the_unit_finds_its_returned_report_first_and_fixes_it(ui, shared, tmp_path):
    # --- the head returns one of last week's submitted reports ---------------------------
    head = ui.login("fgj-head")
    head.goto("/tasks/review/")
    expect(head.get_by_role("heading", name="待审核的报告")).to_be_visible()
    row = head.locator("table.cards tbody tr").filter(has_text="第19周").first
    row.get_by_role("link", name="审核").click()
    heading = head.get_by_role("heading", level=1).inner_text()
    number = re.search(r"任务 (\S+) ·", heading).group(1)
    shared["number"] = number
    expect(head.get_by_role("heading", name=re.compile("上期报告"))).to_be_visible()
    expect(head.get_by_text(re.compile(r"序时进度 \d"))).to_be_visible()
    ui.shot(head, "review-page", phone=True)
    head.get_by_label("退回原因").fill(REASON)
    head.get_by_role("button", name="退回").click()
    success(head, "已退回")

    # --- the unit: 我的任务 for week 20 leads with the returned week-19 report ------------
    page = ui.login("fgj")
    expect(page).to_have_url(re.compile(r"/tasks/mine/$"))
    # The 2022 plan by name: an earlier scenario may have imported a newer one.
    page.goto("/tasks/mine/?plan=2022")
    todo = page.locator("section.todo")
    first_group = todo.locator(".todo-group").first
    expect(first_group.get_by_role("heading")).to_contain_text("已退回")
    first = first_group.locator("li").first
    expect(first).to_contain_text("第19周（5月9日—5月15日）")
    expect(first).to_contain_text(f"任务 {number} ")
    expect(first).to_contain_text(REASON)
    ui.shot(page, "todo", phone=True)
    first.get_by_role("link", name="修改").click()
    expect(page).to_have_url(re.compile(rf"/tasks/2022/{re.escape(number)}/report/\?period={W19}"))
    expect(page.get_by_text(f"已被退回：{REASON}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"每个文件最大 20 MB"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"序时进度：\d"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"上期 第18周.*：\d"))).to_be_visible()
    form_url = page.url

    # --- a file is added with a draft, then removed before submitting --------------------
    evidence = tmp_path / "多传的材料.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.get_by_label("佐证材料").set_input_files(evidence)
    page.get_by_role("button", name="保存草稿").click()
    success(page, "已保存为草稿")
    files = page.locator("ul.files li")
    expect(files.filter(has_text="多传的材料.pdf")).to_have_count(1)
    page.get_by_label("工作进展").press_sequentially("删附件时正在写的字")
    page.once("dialog", lambda dialog: dialog.accept())
    files.filter(has_text="多传的材料.pdf").get_by_role("button", name="删除").click()
    success(page, "已删除附件“多传的材料.pdf”")
    expect(page.locator("ul.files li").filter(has_text="多传的材料.pdf")).to_have_count(0)
    expect(page.get_by_label("工作进展")).to_have_value(re.compile("删附件时正在写的字"))
    ui.shot(page, "file-removed", phone=True)  # the 390 px shot is the form as loaded

    # --- 复制上期内容 asks first when text has been typed -----------------------------------
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="复制上期内容").click()
    page.wait_for_timeout(300)
    assert asked and "替换您已填写的内容" in asked[0], asked
    expect(page.get_by_label("工作进展")).to_have_value(re.compile("删附件时正在写的字"))

    # --- leaving with unsaved changes warns (and staying keeps the text) ------------------
    left = []
    page.once("dialog", lambda dialog: (left.append(dialog.type), dialog.dismiss()))
    page.locator(".crumbs").get_by_role("link", name="我的任务").click()
    page.wait_for_timeout(500)
    assert left == ["beforeunload"], left
    expect(page).to_have_url(form_url)
    expect(page.get_by_label("工作进展")).to_have_value(re.compile("删附件时正在写的字"))

    # --- an edit conflict: the head saves the same report meanwhile -----------------------
    other = ui.login("fgj-head")
    other.goto(form_url)
    other.get_by_label("工作进展").fill("负责人在此期间保存的内容")
    other.get_by_role("button", name="保存草稿").click()
    success(other, "已保存为草稿")

    page.get_by_label("工作进展").fill("填报员修改后的内容")
    kept = tmp_path / "冲突时上传的材料.pdf"
    kept.write_bytes(PDF_BYTES)
    page.get_by_label("佐证材料").set_input_files(kept)
    with ui.expecting(409):
        page.get_by_role("button", name="保存草稿").click()
        expect(page.get_by_role("heading", name="他人已保存的版本")).to_be_visible()
    conflict = page.locator("section.conflict")
    expect(conflict).to_contain_text("负责人在此期间保存的内容")
    expect(page.get_by_label("工作进展")).to_have_value("填报员修改后的内容")
    expect(page.locator("ul.files li").filter(has_text="冲突时上传的材料.pdf")).to_have_count(1)
    ui.shot(page, "conflict")
    page.get_by_role("button", name="以我的内容覆盖保存").click()
    success(page, "已保存为草稿")
    expect(page.get_by_label("工作进展")).to_have_value("填报员修改后的内容")

    # --- 提交 without a percent is refused; with one it goes to the head -----------------
    page.get_by_label("完成进度").fill("")
    with ui.expecting(400):
        page.get_by_role("button", name="提交", exact=True).click()
        # tied to its field (the error summary at the top and the message under the field)
        expect(page.locator("#error-summary")).to_contain_text("提交前请填写“完成进度”")
        expect(page.locator("#id_percent")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("完成进度").fill("41")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tasks/mine/"))
    success(page, f"任务 {number} 的报告已提交。")
    expect(page.locator(".todo-returned")).to_have_count(0)
    ui.shot(page, "resubmitted")
    ui.assert_no_errors()


def test_u2_the_head_reviews_several_reports_at_once(ui, shared):
    head = ui.login("fgj-head")
    nav = head.get_by_role("navigation")
    entry = nav.get_by_role("link", name=re.compile("待审核"))
    expect(entry.locator(".badge")).to_have_text(re.compile(r"^\d+$"))
    waiting = int(entry.locator(".badge").inner_text())
    assert waiting >= 2, waiting
    # The unit's resubmission reached the head's notification centre.
    head.goto("/notifications/")
    notice = re.compile(f"任务 {re.escape(shared['number'])} 的第19周.*待您审核")
    expect(head.get_by_text(notice)).to_be_visible()

    entry = head.get_by_role("navigation").get_by_role("link", name=re.compile("待审核"))
    entry.click()
    rows = head.locator("table.cards tbody tr")
    expect(rows.first).to_be_visible()
    rows.nth(0).locator("input[name=report]").check()
    rows.nth(1).locator("input[name=report]").check()
    ui.shot(head, "batch-selected")
    head.once("dialog", lambda dialog: dialog.accept())
    head.get_by_role("button", name="审核通过勾选的报告").click()
    success(head, "已审核通过 2 份报告")
    badge = head.get_by_role("navigation").get_by_role("link", name=re.compile("待审核"))
    if waiting > 2:
        expect(badge.locator(".badge")).to_have_text(str(waiting - 2))
    else:
        expect(badge.locator(".badge")).to_have_count(0)

    # Select all, then a second click of the same button is absorbed (one-time token).
    if head.locator("table.cards tbody tr input[name=report]").count():
        head.locator("input[data-check-all=report]").check()
        boxes = head.locator("input[name=report]")
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    ui.shot(head, "batch-approved", phone=True)
    ui.assert_no_errors()


def test_u3_phones_get_cards_folded_filters_and_no_sideways_scroll(ui):
    unit = ui.login("fgj")
    phone = phone_page(ui, unit)
    phone.goto("/tasks/mine/?plan=2022")
    assert_cards(phone)
    toggle = phone.locator("button.filtertoggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text(re.compile("^筛选"))
    expect(phone.locator("form.filters")).to_be_hidden()
    toggle.click()
    expect(phone.locator("form.filters")).to_be_visible()
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=ui.shots / "u3-01-my-tasks-filters-open-390.png", full_page=True)
    toggle.click()
    expect(phone.locator("form.filters")).to_be_hidden()
    phone.screenshot(path=ui.shots / "u3-02-my-tasks-390.png", full_page=True)
    unit.screenshot(path=ui.shots / "u3-02-my-tasks-1366.png", full_page=True)

    head = ui.login("fgj-head")
    phone = phone_page(ui, head)
    phone.goto("/tasks/review/")
    if phone.locator("table.cards tbody tr a.button").count():
        assert_cards(phone)
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=ui.shots / "u3-03-head-queue-390.png", full_page=True)

    office = ui.login("ducha")
    office.goto("/tasks/?plan=2022")
    phone = phone_page(ui, office)
    phone.goto("/tasks/?plan=2022")
    assert_no_sideways_scroll(phone)
    expect(phone.locator("button.filtertoggle")).to_be_visible()
    phone.screenshot(path=ui.shots / "u3-05-task-list-390.png")
    office.screenshot(path=ui.shots / "u3-05-task-list-1366.png")

    leader = ui.login("zhangya")
    phone = phone_page(ui, leader)
    phone.goto(leader.url.split("?")[0] + "?plan=2022")
    assert_no_sideways_scroll(phone)
    rows = phone.locator("table.cards tbody tr")
    assert rows.count() > 0
    assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    phone.screenshot(path=ui.shots / "u3-04-portfolio-390.png", full_page=True)
    leader.goto(leader.url.split("?")[0] + "?plan=2022")
    leader.screenshot(path=ui.shots / "u3-04-portfolio-1366.png", full_page=True)
    ui.assert_no_errors()
