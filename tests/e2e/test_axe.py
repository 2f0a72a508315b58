"""axe-core on every page, for every role, at 1366 and 390 px: WCAG 2.0/2.1 A and AA, target size.

The pages are not a hand list: every URL pattern of the resolver (the hostile walk's
`url_patterns`, Django's admin apart from its index) is requested as every role, with path
values taken from the demo data (`demo_values`). What a role gets as a 200 HTML page at that very
address is scanned; refusals (403/404), redirects, 405s of POST-only views and downloads are not
pages of that role. A new URL is scanned without anyone naming it; a new path parameter with no
demo value fails the test until `demo_values` gives it one.

axe-core is vendored (tests/e2e/vendor/axe-core, MPL-2.0, see its LICENSE) so CI needs no
network; it is evaluated in the page (the contexts bypass the app's CSP for that one script).
Any violation fails the test with one line per element: rule, page, role, width, selector.
"""

import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.e2e.conftest import BASE_DIR, CHROMIUM, PASSWORDS, TIMEOUT_MS

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"end-to-end tests need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)",
)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {1366: {"width": 1366, "height": 900}, 390: {"width": 390, "height": 844}}
ROLES = {
    "anon": None,
    "office": "ducha",
    "leader": "zhangya",
    "staff": "fgj",
    "head": "fgj-head",
    "town": "tangyi",
    "admin": "admin",
}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
# The demo objects the pages need, found (or made, where the demo has none) in the server's
# database. Each value is a list: a role uses the first that gives it a page.
DEMO_OBJECTS = r"""
import json
from django.contrib.auth.models import User
from leaders.models import CoordinationItem, Instruction, Leader
from notifications.models import Notification
from reports.models import Bulletin, EscalationNotice, ReportJob, WeeklySnapshot
from tasks.models import Attachment, ClosureApplication, ClosureEvidence, ExtensionApplication
from tasks.models import NodeProposal, Plan, PlanImport, ProgressReport, Task

plan = Plan.objects.by_key("2022")
zhangya = Leader.objects.get(name="张娅")
fgj = User.objects.get(username="fgj")
tasks = {n: Task.objects.get(plan=plan, number=n) for n in ("15", "125")}
instruction = Instruction.objects.filter(state="published").first() or Instruction.objects.create(
    task=tasks["15"], leader=zhangya, text="请加快进度", state="published",
    published_at="2022-05-17T10:00:00+08:00")
job = ReportJob.objects.filter(kind="workbook").first() or ReportJob.objects.create(
    plan=plan, period_key="2022-W19")
text = "某区2024年重点任务\n一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n".encode()
plan_import = PlanImport.objects.first() or PlanImport.objects.create(
    filename="plan.txt", data=text, size=len(text))
notification = Notification.objects.filter(user=fgj).first() or Notification.objects.create(
    user=fgj, kind="other", title="通知")
reports = [ProgressReport.objects.filter(task=t).order_by("pk").first() for t in tasks.values()]
def pk(model):
    first = model.objects.order_by("pk").first()
    return [first.pk if first else 0]
print(json.dumps({
    "plan_key": ["2022"],
    "number": ["15", "125"],
    "report_id": [r.pk for r in reports if r],
    "action": ["approve"],
    "attachment_id": pk(Attachment),
    "leader_id": [zhangya.pk],
    "instruction_id": [instruction.pk],
    "user_id": [fgj.pk],
    "job_id": [job.pk],
    "snapshot_id": pk(WeeklySnapshot),
    "bulletin_id": pk(Bulletin),
    "notification_id": [notification.pk],
    "import_id": [plan_import.pk],
    "department_id": [fgj.profile.department_id],
    "plan_id": [plan.pk],
    "period_key": ["2022-W19"],
    "application_id": pk(ExtensionApplication) + pk(ClosureApplication),
    "decision": ["approve"],
    "file_id": pk(ClosureEvidence),
    "item_id": pk(CoordinationItem),
    "notice_id": pk(EscalationNotice),
    "proposal_id": pk(NodeProposal),
}))
"""


def demo_values(server) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DEMO_OBJECTS],
        cwd=BASE_DIR,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {
        name: [str(v) for v in values]
        for name, values in json.loads(done.stdout.splitlines()[-1]).items()
    }


def page_patterns():
    """Every leaf of the URLconf but Django admin's own pages (its index is kept)."""
    from tests.hostile import url_patterns

    return [
        p
        for p in url_patterns()
        if p.name == "admin:index" or not p.label.startswith("admin/") and p.name
    ]


def candidate_paths(pattern, values) -> list[str]:
    """The pattern's address for each combination of demo values (the first ones first)."""
    from tests.hostile import build_url

    names = [name for name, _ in pattern.params]
    missing = [name for name in names if not values.get(name)]
    assert not missing, (
        f"{pattern.label}: no demo value for {missing}; add one to DEMO_OBJECTS in {__file__}"
    )
    combos = itertools.product(*(values[name] for name in names))
    return [
        build_url(pattern, {n: v.encode() for n, v in zip(names, combo, strict=True)})
        for combo in combos
    ]


def is_page(response, path: str) -> bool:
    return (
        response.status == 200
        and response.headers.get("content-type", "").startswith("text/html")
        and response.url.split("?")[0].endswith(quote(path))
    )


def log_in(browser, base_url: str, username: str) -> dict:
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORDS[username])
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert "/login/" not in page.url, f"{username} could not log in"
        return context.storage_state()
    finally:
        context.close()


def scan(page) -> list[dict]:
    page.add_script_tag(path=AXE)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe(violations, path, role, width) -> list[str]:
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(">>".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(
                f"{violation['id']} ({violation['impact']}) on {path} as {role} at {width}px: "
                f"{target} — {summary}"
            )
    return lines


def test_axe_every_page_every_role_both_widths(ui, app_server, capsys):
    values = demo_values(app_server)
    patterns = page_patterns()
    failures: list[str] = []
    scans = clean = 0
    by_rule: Counter = Counter()
    scanned_pages: set[str] = set()
    titles: dict[str, set[str]] = {}  # page title → the URL patterns that carry it
    for role, username in ROLES.items():
        state = log_in(ui.browser, ui.url, username) if username else None
        contexts = {}
        for width, viewport in WIDTHS.items():
            context = ui.browser.new_context(
                base_url=ui.url,
                viewport=viewport,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                is_mobile=width < 600,
                has_touch=width < 600,
                storage_state=state,
                bypass_csp=True,
            )
            context.set_default_timeout(TIMEOUT_MS)
            ui.contexts.append(context)
            contexts[width] = context.new_page()
        probe = contexts[1366].context.request
        for pattern in patterns:
            for path in candidate_paths(pattern, values):
                response = probe.get(path, max_redirects=0)
                if not is_page(response, path):
                    continue
                scanned_pages.add(pattern.name)
                for width, page in contexts.items():
                    page.goto(path)
                    titles.setdefault(page.title(), set()).add(pattern.name)
                    violations = scan(page)
                    scans += 1
                    clean += not violations
                    by_rule.update(v["id"] for v in violations)
                    failures += describe(violations, path, role, width)
                break
        for page in contexts.values():
            page.context.close()
    never = sorted(p.name for p in patterns if p.name not in scanned_pages)
    with capsys.disabled():
        print(
            f"\naxe: {scans} scans ({len(scanned_pages)} URL patterns × roles × 2 widths), "
            f"{clean} clean; scans with violations, by rule: {dict(by_rule)}\n"
            f"not a page for any role (POST-only, download, JSON or redirect): {never}"
        )
    assert scans > 40, f"only {scans} scans: the walk found too few pages"
    shared = {title: sorted(names) for title, names in titles.items() if len(names) > 1}
    problems = [f"{len(failures)} axe violations:", *failures] if failures else []
    if shared:
        problems += ["pages that share a title (each must say what it is):"]
        problems += [f"{title!r}: {names}" for title, names in shared.items()]
    assert not problems, "\n".join(problems)
