"""Issue 16's walk of a task's life as the office governs it, in Chromium at 1366 px (and the
new pages at 390 px), on task 44 of the 2022 plan (led by 区发展和改革局; 张娅 leads it):

1. Extension: the task's deadline was 2022-03-31, so on 2022-05-18 it is 严重滞后. The unit (fgj)
   applies for an extension to 2022-12-31; its head (fgj-head), the office (ducha) and the
   leader (zhangya) approve in turn; the light changes (judged on the new date).
2. Closure: the unit applies with a summary and an evidence file; the office finds it in
   待办结审核 and returns it (退回重办) with a reason; the unit reads the reason and applies
   again; the office closes it (销号); the unit's task page takes no more reports, and the
   leader's portfolio shows 已办结 with its date.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import AS_OF_DATE, BASE_DIR, CHROMIUM, PHONE

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

NUMBER = "44"  # led by 区发展和改革局 (堂邑镇 cooperates), lead leaders 张娅 and others
TASK_URL = f"/tasks/2022/{NUMBER}/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RETURN_REASON = "E2E退回：请补充第三方评估报告"


def success(page, text: str) -> None:
    expect(page.locator(".messages li").filter(has_text=text)).to_be_visible()


def no_sideways_scroll(ui, page) -> None:
    small = ui.new_page(viewport=PHONE, storage_state=page.context.storage_state())
    small.goto(page.url)
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    small.context.close()


def apply_for_closure(page, summary: str, evidence: Path | None = None) -> None:
    page.goto(TASK_URL)
    block = page.locator("#closure")
    expect(block.get_by_role("heading", name="申请办结")).to_be_visible()
    block.get_by_label("办结情况").fill(summary)
    if evidence is not None:
        block.get_by_label("佐证材料").set_input_files(str(evidence))
    block.get_by_role("button", name="提交办结申请").click()
    success(page, "办结申请已提交")
    expect(page.locator("#closure")).to_contain_text("待督查室审核")


def set_deadline(app_server, day: str) -> None:
    """The plan's own deadline of the task (as a plan document would give it)."""
    code = (
        "from tasks.models import Task; "
        f"t = Task.objects.get(plan__year=2022, number='{NUMBER}'); "
        f"t.deadline = '{day}'; t.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=app_server.env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def status_light(page):
    """The task's light in 推进情况 (the first light on the task page)."""
    return page.locator("span.light").first


def approve_extension(ui, username: str) -> None:
    page = ui.login(username)
    page.goto(TASK_URL)
    block = page.locator("#extension")
    block.get_by_role("button", name="同意延期").click()
    success(page, "已处理")


def test_l1_an_extension_changes_the_light_then_closure_is_returned_once_and_closed(
    ui, app_server, tmp_path
):
    # --- extension: late on its original deadline, the unit asks for the year's end ------
    set_deadline(app_server, "2022-03-31")
    unit = ui.login("fgj")
    unit.goto(TASK_URL)
    expect(status_light(unit)).to_have_text("严重滞后")
    block = unit.locator("#extension")
    expect(block).to_contain_text("2022-03-31")
    block.locator("summary").filter(has_text="申请延期").click()
    block.locator("#id_requested_date").fill("2022-12-31")
    block.locator("#id_reason").fill("E2E：受施工许可办理进度影响，完成时限需顺延至年底。")
    ui.shot(unit, "extension-form", phone=True)
    block.get_by_role("button", name="提交延期申请").click()
    success(unit, "延期申请已提交")
    expect(status_light(unit)).to_have_text("严重滞后")  # judged on the original until approved
    for username in ("fgj-head", "ducha", "zhangya"):
        approve_extension(ui, username)
    unit.goto(TASK_URL)
    expect(unit.locator("#extension")).to_contain_text("2022-12-31")
    expect(status_light(unit)).not_to_have_text("严重滞后")
    ui.shot(unit, "extension-approved", phone=True)

    # --- closure: the unit applies with a summary and an evidence file -------------------
    evidence = tmp_path / "评估报告.pdf"
    evidence.write_bytes(PDF_BYTES)
    expect(unit.get_by_role("link", name="填报本期进展")).to_be_visible()
    apply_for_closure(unit, "年度目标已完成，经统计部门核实。", evidence)
    expect(unit.locator("#closure").get_by_role("link", name="评估报告.pdf")).to_be_visible()
    ui.shot(unit, "closure-applied", phone=True)

    # --- the office finds it in 待办结审核 and returns it with a reason --------------------
    office = ui.login("ducha")
    office.get_by_role("link", name="办结审核").first.click()
    expect(office.get_by_role("heading", name=re.compile("待办结审核（1）"))).to_be_visible()
    ui.shot(office, "pending-closures", phone=True)
    no_sideways_scroll(ui, office)
    office.locator("table.cards tbody tr").filter(has_text="区发展和改革局").get_by_role(
        "link", name="办理"
    ).click()
    expect(office).to_have_url(re.compile(re.escape(TASK_URL)))
    block = office.locator("#closure")
    block.get_by_label("退回理由").fill(RETURN_REASON)
    block.get_by_role("button", name="退回重办").click()
    success(office, "已退回重办")
    ui.shot(office, "closure-returned", phone=True)

    # --- the unit reads the reason and applies again ---------------------------------------
    unit.goto(TASK_URL)
    expect(unit.locator("#closure")).to_contain_text(RETURN_REASON)
    apply_for_closure(unit, "已补充第三方评估报告，年度目标全部完成。", evidence)

    # --- the office closes it (销号), after confirming ------------------------------------
    office.goto("/tasks/closure/")
    expect(office.get_by_role("heading", name=re.compile("待办结审核（1）"))).to_be_visible()
    office.goto(TASK_URL)
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#closure").get_by_role("button", name="审核通过并销号").click()
    success(office, "已销号")
    closed_label = f"已办结 {AS_OF_DATE}"
    expect(office.locator(".light.status-done").first).to_contain_text(closed_label)
    expect(office.locator("#closure").get_by_role("button", name="重新打开")).to_be_visible()
    expect(office.locator(".trail")).to_contain_text("任务已办结（销号）")
    ui.shot(office, "task-closed-office", phone=True)

    # --- the unit's task page takes no more reports ----------------------------------------
    unit.goto(TASK_URL)
    expect(unit.get_by_role("link", name="填报本期进展")).to_have_count(0)
    expect(unit.locator("#closure")).to_contain_text("不再报送进展")
    with ui.expecting(403):
        unit.goto(f"{TASK_URL}report/")
        expect(unit.get_by_text("该任务已办结")).to_be_visible()
    unit.goto("/tasks/mine/?plan=2022&optional=1")
    expect(unit.get_by_text(closed_label).first).to_be_visible()

    # --- the leader's portfolio shows 已办结 with its date ---------------------------------
    leader = ui.login("zhangya")
    leader.goto(leader.url.split("?")[0] + "?plan=2022")
    row = leader.locator(f"tbody tr:has(a[href^='{TASK_URL}'])")
    expect(row.first).to_contain_text(closed_label)
    ui.shot(leader, "portfolio-closed", phone=True)
