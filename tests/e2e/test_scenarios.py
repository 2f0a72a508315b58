"""End-to-end scenarios in Chromium against the real server (see conftest.py).

The scenarios build on each other and run in file order: s1 reports, reviews and instructs;
s2 rolls the week up through Celery and reads the workbook; s3 checks the refusals and the
login lock (it locks an account); s4 checks the Content-Security-Policy on the pages.
"""

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

PERIOD = "2022-W20"
PERIOD_LABEL = "2022年第20周"
# Under 40 characters: the portfolio shows the first 40 of the latest progress.
PROGRESS = "E2E进展：帝欣光电项目主体封顶，完成投资90亿元"
PROBLEMS = "E2E问题：部分项目用地指标尚未落实"
NEXT_STEPS = "E2E打算：协调自然资源部门加快供地"
INSTRUCTION = "E2E批示：请区发改局盯紧86个重点项目，六月底前投资过半。"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def assert_chinese_page(page) -> None:
    expect(page).to_have_title(re.compile("督查台账"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def task_row(page, number: str, *extra: str):
    """The table row whose 编号 cell is `number` (and which contains each of `extra`)."""
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=number, exact=True))
    for text in extra:
        row = row.filter(has_text=text)
    return row


def success(page, text: str) -> None:
    expect(page.get_by_role("listitem").filter(has_text=text)).to_be_visible()


def test_s1_report_review_accept_instruct_acknowledge(ui, shared, tmp_path):
    # --- 填报员 fgj: 我的任务 → report on task 7 for this week → submit --------------------
    login = ui.new_page()
    login.goto("/login/")
    assert_chinese_page(login)
    ui.shot(login, "login", phone=True)

    page = ui.login("fgj")
    expect(page).to_have_url(re.compile(r"/tasks/mine/$"))
    assert_chinese_page(page)
    expect(page.get_by_role("heading", name="我的任务 · 区发展和改革局")).to_be_visible()
    expect(page.get_by_text(re.compile(f"{PERIOD_LABEL}.*报送截止 5月19日 17:00"))).to_be_visible()
    ui.shot(page, "my-tasks", phone=True)

    task_row(page, "7").get_by_role("link", name="填报").click()
    expect(page).to_have_url(re.compile(rf"/tasks/2022/7/report/\?period={PERIOD}$"))
    expect(page.get_by_role("heading", name=re.compile("区发展和改革局 · 任务 7"))).to_be_visible()
    page.get_by_label("工作进展").fill(PROGRESS)
    page.get_by_label("存在问题").fill(PROBLEMS)
    page.get_by_label("下步打算").fill(NEXT_STEPS)
    page.get_by_label("完成进度").fill("45")
    indicator = page.get_by_label("年度投资")
    if indicator.count():
        indicator.fill("90")
    evidence = tmp_path / "项目推进情况.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.get_by_label("佐证材料").set_input_files(evidence)
    ui.shot(page, "report-form", phone=True)

    page.get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tasks/mine/"))
    success(page, "任务 7 的报告已提交。")
    expect(task_row(page, "7").get_by_text("已提交")).to_be_visible()
    ui.shot(page, "submitted")

    # The submitted report, read-only now, with its history page and the evidence file.
    task_row(page, "7").get_by_role("link", name="查看").click()
    expect(page.get_by_text("当前状态：已提交")).to_be_visible()
    expect(page.get_by_role("link", name="项目推进情况.pdf")).to_be_visible()
    page.get_by_role("link", name="历史记录").click()
    expect(page).to_have_url(re.compile(r"/tasks/reports/\d+/$"))
    shared["report_url"] = page.url.removeprefix(ui.url)
    expect(page.get_by_text(PROGRESS).first).to_be_visible()
    ui.shot(page, "history")

    # A report of the unit on task 15 (demo data), which a town may not see (scenario 3).
    page.goto("/tasks/2022/15/")
    records = page.get_by_role("link", name="记录")
    expect(records.first).to_be_visible()
    shared["task15_report_url"] = records.first.get_attribute("href")

    # --- 单位负责人 fgj-head: 待我审核 → 审核通过 ----------------------------------------------
    head = ui.login("fgj-head")
    expect(head).to_have_url(re.compile(r"/tasks/mine/$"))
    head.get_by_role("link", name="待我审核").click()
    expect(head.get_by_role("heading", name="待审核的报告")).to_be_visible()
    head.get_by_role("link", name="期次").click()  # newest week first
    row = head.get_by_role("row").filter(has_text="第20周（").filter(has_text="2022年 7")
    expect(row).to_have_count(1)
    ui.shot(head, "head-queue")
    row.get_by_role("link", name="审核").click()
    expect(head.get_by_text(PROGRESS).first).to_be_visible()
    head.get_by_role("button", name="审核通过").click()
    success(head, "已审核通过，报送督查室。")
    ui.shot(head, "head-approved")

    # --- 督查室 ducha: 待审阅 → 采纳 ---------------------------------------------------------
    office = ui.login("ducha")
    office.get_by_role("navigation").get_by_role("link", name="待审阅").click()
    office.get_by_role("link", name="期次").click()
    row = office.get_by_role("row").filter(has_text="第20周（").filter(has_text="2022年 7")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("已审核")
    row.get_by_role("link", name="审阅").click()
    expect(office.get_by_text("当前状态：已审核")).to_be_visible()
    office.get_by_role("button", name="采纳").click()
    success(office, "已采纳。")
    office.goto(shared["report_url"])
    expect(office.get_by_text("当前状态：已采纳")).to_be_visible()
    ui.shot(office, "accepted")

    # --- 区领导 zhangya: portfolio shows the new progress; writes and publishes a 批示 -------
    leader = ui.login("zhangya")
    expect(leader).to_have_url(re.compile(r"/leaders/\d+/$"))
    expect(leader.get_by_role("heading", name=re.compile("张娅"))).to_be_visible()
    row = task_row(leader, "7")
    expect(row).to_contain_text(PROGRESS)
    expect(row).to_contain_text(PROBLEMS)
    # The light (its title names the colour): on schedule against 37.8 % 序时进度 on 2022-05-18.
    expect(row.get_by_title("绿灯", exact=True)).to_have_text(re.compile("序时推进"))
    ui.shot(leader, "portfolio", phone=True)

    row.get_by_role("link").first.click()
    expect(leader).to_have_url(re.compile(r"/tasks/2022/7/"))
    expect(leader.get_by_role("heading", name="领导批示")).to_be_visible()
    leader.get_by_role("link", name="写批示").click()
    leader.get_by_label("批示内容").fill(INSTRUCTION)
    ui.shot(leader, "instruction-form")
    leader.get_by_role("button", name="发布").click()
    expect(leader.get_by_role("heading", name=re.compile("确认发布批示"))).to_be_visible()
    leader.get_by_role("button", name="确认发布").click()
    success(leader, "批示已发布")
    expect(leader.get_by_text(INSTRUCTION)).to_be_visible()
    expect(leader.get_by_role("cell", name="区发展和改革局")).to_be_visible()
    ui.shot(leader, "instruction-published")

    # --- back as fgj: the pending 批示 on 我的任务 → 已阅 -----------------------------------
    page.goto("/tasks/mine/")
    pending = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("待阅批示"))
    )
    expect(pending.first).to_contain_text(INSTRUCTION)
    ui.shot(page, "instruction-pending")
    # Other scenarios may leave instructions pending too: acknowledge this one.
    pending.first.get_by_role("article").filter(has_text=INSTRUCTION).get_by_role(
        "button", name="已阅"
    ).click()
    success(page, "已阅：任务 7 的批示。")
    expect(page.get_by_text(INSTRUCTION)).to_have_count(0)
    ui.shot(page, "instruction-acknowledged")
    shared["s1"] = True
    ui.assert_no_errors()


def test_s2_weekly_report_through_celery(ui, shared, app_server, tmp_path):
    if not shared.get("s1"):
        pytest.skip("needs the report of scenario 1")
    import openpyxl

    page = ui.login("ducha")
    page.get_by_role("navigation").get_by_role("link", name="督查周报").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    assert_chinese_page(page)
    period = page.get_by_label("期次")
    label = next(t for t in period.locator("option").all_inner_texts() if t.startswith("第20周"))
    period.select_option(label=label)
    ui.shot(page, "reports", phone=True)

    page.get_by_role("button", name="生成周报").click()
    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    app_server.check_alive()
    download = page.get_by_role("link", name="下载周报 xlsx")
    try:
        expect(download).to_be_visible(timeout=90_000)
    except AssertionError:
        pytest.fail("the workbook was not ready in 90 s\n" + app_server.diagnostics())
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(page.get_by_text("100%")).to_be_visible()
    ui.shot(page, "job-done")

    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == f"2022年督查周报-{PERIOD}.xlsx"
    path = tmp_path / "weekly.xlsx"
    info.value.save_as(path)

    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook["总表"]
    headers = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "序号")
    progress_column = headers.index("本期进展")
    rows = [r for r in sheet.iter_rows(values_only=True) if r and str(r[0]) == "7"]
    assert len(rows) == 1, rows
    assert PROGRESS in rows[0][progress_column]
    assert "区发展和改革局" in rows[0][headers.index("牵头单位")]
    workbook.close()

    page.goto("/reports/")
    expect(page.get_by_role("cell", name="第20周（5月16日—5月22日）").first).to_be_visible()
    ui.shot(page, "reports-after")
    ui.assert_no_errors()


def test_s3_refusals_and_login_lock(ui, shared):
    """堂邑镇 is refused what it has no part in, and five wrong passwords lock its login.

    Task 7 is no refusal for the town: it cooperates on it through 各镇政府（街道办事处）, and
    cooperating units read the task's reports. Task 15 (牵头 区发展和改革局 among others,
    配合 区政府各部门 and 街道办事处) does not involve it, so its reports and pages are refused.
    """
    page = ui.login("tangyi")
    expect(page).to_have_url(re.compile(r"/tasks/mine/$"))
    expect(page.get_by_role("heading", name="我的任务 · 堂邑镇")).to_be_visible()
    ui.shot(page, "my-tasks")

    # Another unit's report on a task the town has no part in, and that task's pages.
    targets = ["/tasks/2022/15/report/", "/tasks/2022/15/"]
    if shared.get("task15_report_url"):
        targets.insert(0, shared["task15_report_url"])
    with ui.expecting(403, 404):
        for n, url in enumerate(targets, 1):
            response = page.goto(url)
            assert response.status in (403, 404), (url, response.status)
            body = page.locator("body").inner_text()
            assert "工作进展" not in body and "当前内容" not in body, url
            assert "区发展和改革局" not in body, url
            ui.shot(page, f"refused-{n}")
    ui.assert_no_errors()

    # Logged out: five wrong passwords lock the account; the right one is then refused too.
    page.goto("/tasks/mine/")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    with ui.expecting(429):
        for attempt in range(1, 6):
            page.get_by_label("用户名").fill("tangyi")
            page.get_by_label("密码").fill(f"wrong-password-{attempt}")
            page.get_by_role("button", name="登录").click()
            page.wait_for_load_state()
        expect(page.get_by_text("登录失败次数过多")).to_be_visible()
        ui.shot(page, "locked", phone=False)
        page.get_by_label("用户名").fill("tangyi")
        page.get_by_label("密码").fill("demo-tangyi-2022")
        with page.expect_response(lambda r: r.url.endswith("/login/")) as answer:
            page.get_by_role("button", name="登录").click()
        assert answer.value.status == 429
        expect(page).to_have_url(re.compile(r"/login/"))
        expect(page.get_by_text("登录失败次数过多")).to_be_visible()
        expect(page.get_by_role("button", name="退出")).to_have_count(0)
        ui.shot(page, "still-locked")
    ui.assert_no_errors()


def test_s4_strict_csp_with_scripts_from_files(ui):
    """Every page is served with a strict Content-Security-Policy (no inline script or style),
    and what used to be inline handlers works from static/js/app.js: a choice in a select
    submits its form, a password reset asks first. A blocked inline script or style would be
    a console error, which fails the scenario."""
    page = ui.login("ducha")
    for url in ["/", "/tasks/", "/tasks/2022/15/", "/tasks/review/", "/accounts/", "/reports/"]:
        response = page.goto(url)
        assert response.status == 200, url
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
        assert "style-src 'self'" in policy, (url, policy)
        assert "no-store" in response.headers["cache-control"], url
        assert "camera=()" in response.headers["permissions-policy"], url
    ui.assert_no_errors()

    page.goto("/")
    picker = page.locator(".periodpicker select")
    label = next(t for t in picker.locator("option").all_inner_texts() if "第19周" in t)
    picker.select_option(label=label)
    page.wait_for_timeout(300)
    assert "period=" not in page.url, "choosing a period must not navigate (WCAG 3.2.2)"
    page.locator(".periodpicker").get_by_role("button", name="查看该期").click()
    expect(page).to_have_url(re.compile(r"period=2022-W19"))
    ui.shot(page, "period-picker")

    page.goto("/accounts/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="重置密码").first.click()
    page.wait_for_timeout(300)
    assert asked and "生成一次性密码" in asked[0], asked
    expect(page.get_by_text("的一次性密码")).to_have_count(0)  # dismissed: nothing was reset
    ui.assert_no_errors()

    # The Django admin runs under the same policy (its scripts and styles are static files).
    admin = ui.login("admin")
    for url in [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/axes/accessattempt/",
    ]:
        response = admin.goto(url)
        assert response.status == 200, url
        assert "unsafe-inline" not in response.headers["content-security-policy"], url
    admin.goto("/admin/auth/user/")
    admin.get_by_role("link", name="ducha", exact=True).click()
    expect(admin.get_by_role("heading", name="ducha")).to_be_visible()
    ui.shot(admin, "admin-user")


def test_s5_office_imports_a_word_table_plan(ui, app_server, tmp_path):
    """督查室 uploads a .docx table plan, resolves two unknown names, confirms, and finds the
    tasks with their units. Last: the new 2024 plan becomes everybody's default plan."""
    from tests.plan_documents import TITLE, docx_table_plan

    unknown = ("区商务促进中心", "区数据资源局")
    plan_file = tmp_path / "咸安区2024年分工方案.docx"
    plan_file.write_bytes(docx_table_plan(unknown))

    page = ui.login("ducha")
    page.get_by_role("navigation").get_by_role("link", name="导入方案").click()
    expect(page).to_have_url(re.compile(r"/tasks/import/$"))
    assert_chinese_page(page)
    page.get_by_label("方案文件").set_input_files(plan_file)
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/tasks/import/\d+/$"))
    expect(page.get_by_role("heading", name=f"导入预览：{TITLE}")).to_be_visible()
    expect(page.get_by_text("新建任务 4")).to_be_visible()
    expect(page.get_by_role("cell", name="于会游区长主抓重点工作").first).to_be_visible()
    ui.shot(page, "import-preview")

    # Confirming before answering is refused with the reason, nothing is queued.
    with ui.expecting(400):
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text(f"请为“{unknown[0]}”选择")).to_be_visible()
    page.get_by_label(unknown[0]).select_option(label="对应：区行政审批服务局")
    page.get_by_label(unknown[1]).select_option(label=f"新建单位“{unknown[1]}”")
    page.get_by_role("button", name="确认导入").click()
    expect(page).to_have_url(re.compile(r"/tasks/import/\d+/status/$"))
    app_server.check_alive()
    try:
        expect(page.get_by_role("heading", name="导入完成")).to_be_visible(timeout=90_000)
    except AssertionError:
        pytest.fail("the import did not finish in 90 s\n" + app_server.diagnostics())
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(page.get_by_text(f"登记别名：{unknown[0]} → 区行政审批服务局")).to_be_visible()
    expect(page.get_by_text(f"新建单位：{unknown[1]}")).to_be_visible()
    ui.shot(page, "import-done")

    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/tasks/\?plan=2024$"))
    for number in ("1", "2", "3", "4"):
        expect(task_row(page, number)).to_have_count(1)
    page.goto("/tasks/2024/2/")
    expect(page.get_by_text("区行政审批服务局").first).to_be_visible()
    page.goto("/tasks/2024/4/")
    expect(page.get_by_text(unknown[1]).first).to_be_visible()
    expect(page.get_by_text("区审计局").first).to_be_visible()
    ui.shot(page, "imported-task")
    ui.assert_no_errors()
