"""The permission matrix: every role × every view × an object inside and outside the scope.

A cell is the expected status. 302 for anonymous visitors means "sent to the login page";
out-of-scope objects are 404 (nothing is found by guessing a URL), role-gated pages 403.
"""

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from leaders.models import Instruction
from notifications.models import Notification
from reports.bulletin_archive import bulletin_path
from reports.models import Bulletin, ReportJob
from tasks.models import Attachment, PlanImport, ProgressReport, Task

from . import objects
from .base import PASSWORD, BaseTestCase
from .matrix import failures, row, users_by_role


def _covered_elsewhere() -> set[str]:
    """URL names whose rows are in a feature's own matrix (tests/test_permissions_<name>.py,
    each naming them in URL_NAMES)."""
    import importlib
    import pkgutil

    import tests

    names = set()
    for info in pkgutil.iter_modules(tests.__path__):
        if info.name.startswith("test_permissions_"):
            names |= set(importlib.import_module(f"tests.{info.name}").URL_NAMES)
    return names


@override_settings(AS_OF_DATE="2022-05-18")
class PermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A submitted report of 区发展和改革局 on task 15 (outside the towns' scope), with evidence.
        cls.report, cls.attachment = objects.submitted_report_with_evidence(cls)
        plan = cls.task["1"].plan
        cls.snapshot = objects.week_19_workbook(plan)
        cls.job = ReportJob.objects.create(plan=plan, period_key="2022-W19")
        cls.notification = Notification.objects.create(user=cls.staff, kind="other", title="通知")
        plan_text = "某区2024年重点任务\n一、稳增长\n1.推进项目建设。〔牵头单位：区财政局〕\n"
        cls.plan_import = PlanImport.objects.create(
            filename="plan.txt", data=plan_text.encode(), size=len(plan_text.encode())
        )
        # An issued bulletin with its file, and a draft (never downloadable).
        cls.bulletin = Bulletin.objects.create(
            plan=plan, period_key="2022-W19", period_label="2022年第19周", state="issued", number=1
        )
        path = bulletin_path(cls.bulletin)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x03\x04 stand-in bulletin")
        cls.bulletin.file = "private/bulletins/stand-in.docx"
        cls.bulletin.save()
        cls.draft_bulletin = Bulletin.objects.create(
            plan=plan, period_key="2022-W20", period_label="2022年第20周"
        )
        # A published instruction of 张娅 on task 15, and 梅永杰's draft on task 44.
        cls.instruction = objects.published_instruction(cls)
        cls.draft = Instruction.objects.create(
            task=Task.objects.get(plan=plan, number="44"),
            leader=cls.meiyongjie,
            text="草稿",
            state="draft",
        )

    def matrix(self):
        t = self.task
        own_leader, other_leader = self.zhangya.pk, self.meiyongjie.pk
        report, attachment = self.report.pk, self.attachment.pk
        return [
            # (label, method, url)                         anon nob  staf head town lead offi admi
            ("home", "get", reverse("home"), row(302, 302, 302, 302, 302, 302, 200, 200)),
            (
                "task list",
                "get",
                reverse("tasks:list"),
                row(302, 200, 200, 200, 200, 200, 200, 200),
            ),
            (
                "task 1 (all units)",
                "get",
                t["1"].get_absolute_url(),
                row(302, 404, 200, 200, 200, 200, 200, 200),
            ),
            (
                "task 15 (drc leads; not towns)",
                "get",
                t["15"].get_absolute_url(),
                row(302, 404, 200, 200, 404, 200, 200, 200),
            ),
            (
                "task 125 (towns cooperate; not drc)",
                "get",
                t["125"].get_absolute_url(),
                row(302, 404, 404, 404, 200, 200, 200, 200),
            ),
            ("my tasks", "get", reverse("tasks:mine"), row(302, 403, 200, 200, 200, 403, 403, 403)),
            (
                "own portfolio",
                "get",
                reverse("leaders:portfolio", args=[own_leader]),
                row(302, 403, 403, 403, 403, 200, 200, 200),
            ),
            (
                "other portfolio",
                "get",
                reverse("leaders:portfolio", args=[other_leader]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "account list",
                "get",
                reverse("accounts:list"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "account import",
                "get",
                reverse("accounts:import"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "unlock",
                "post",
                reverse("accounts:unlock"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "reset password",
                "post",
                reverse("accounts:reset_password", args=[self.nobody.pk]),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "password change",
                "get",
                reverse("accounts:password_change"),
                row(302, 200, 200, 200, 200, 200, 200, 200),
            ),
            (
                "no role page",
                "get",
                reverse("accounts:no_role"),
                row(302, 403, 403, 403, 403, 403, 403, 403),
            ),
            ("login page", "get", reverse("login"), row(200, 302, 302, 302, 302, 302, 302, 302)),
            ("admin", "get", reverse("admin:index"), row(302, 302, 302, 302, 302, 302, 302, 200)),
            (
                "report form, task 1",
                "get",
                reverse("tasks:report", args=["2022", "1"]),
                row(302, 404, 200, 200, 200, 403, 403, 403),
            ),
            (
                "report form, task 15",
                "get",
                reverse("tasks:report", args=["2022", "15"]),
                row(302, 404, 200, 200, 404, 403, 403, 403),
            ),
            (
                "report history",
                "get",
                reverse("tasks:report_history", args=[report]),
                row(302, 404, 200, 200, 404, 200, 200, 200),
            ),
            (
                "evidence file",
                "get",
                reverse("tasks:attachment", args=[attachment]),
                row(302, 404, 200, 200, 404, 200, 200, 200),
            ),
            # Only the head approves; the state then moves on, so later roles see it approved.
            (
                "approve",
                "post",
                reverse("tasks:report_action", args=[report, "approve"]),
                row(302, 404, 403, 302, 404, 403, 403, 403),
            ),
            (
                "review queue",
                "get",
                reverse("tasks:review"),
                row(302, 403, 403, 200, 403, 403, 200, 200),
            ),
            # Batch 审核 is the unit head's (nothing ticked here: back to the queue).
            (
                "batch approve",
                "post",
                reverse("tasks:review_approve"),
                row(302, 403, 403, 302, 403, 403, 403, 403),
            ),
            # Batch 采纳 is the office's; with nothing checked it says so and goes back.
            (
                "batch accept",
                "post",
                reverse("tasks:accept_batch"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "edit indicators",
                "get",
                reverse("tasks:indicators", args=["2022", "7"]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            # fmt: off
            (
                "weekly reports",
                "get",
                reverse("reports:list"),
                row(302, 403, 403, 403, 403, 200, 200, 200),
            ),
            (
                "generate",
                "post",
                reverse("reports:generate"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "job status",
                "get",
                reverse("reports:job", args=[self.job.pk]),
                row(302, 403, 403, 403, 403, 200, 200, 200),
            ),
            (
                # The job is queued, not failed: the office is told there is nothing to retry.
                "retry job",
                "post",
                reverse("reports:retry", args=[self.job.pk]),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "download workbook",
                "get",
                reverse("reports:download", args=[self.snapshot.pk]),
                row(302, 403, 403, 403, 403, 200, 200, 200),
            ),
            # 督查通报: the office previews and issues; leaders and units read issued ones.
            (
                "bulletins",
                "get",
                reverse("reports:bulletins"),
                row(302, 403, 200, 200, 200, 200, 200, 200),
            ),
            (
                "bulletin preview",
                "get",
                reverse("reports:bulletin_preview"),  # the current period of the newest plan
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            # The matrix posts plan=<pk>: the issue form names plans by slug, so not found.
            (
                "issue bulletin",
                "post",
                reverse("reports:bulletin_issue"),
                row(302, 403, 403, 403, 403, 403, 404, 404),
            ),
            (
                "download bulletin",
                "get",
                reverse("reports:bulletin_download", args=[self.bulletin.pk]),
                row(302, 403, 200, 200, 200, 200, 200, 200),
            ),
            (
                "download a draft bulletin",
                "get",
                reverse("reports:bulletin_download", args=[self.draft_bulletin.pk]),
                row(302, 403, 404, 404, 404, 404, 404, 404),
            ),
            ("health", "get", reverse("healthz"), row(200, 200, 200, 200, 200, 200, 200, 200)),
            (
                "write instruction, task 15",
                "get",
                reverse("leaders:instruction_write", args=["2022", "15"]),
                row(302, 404, 403, 403, 404, 200, 403, 403),
            ),
            (
                "instruction in scope",
                "get",
                reverse("leaders:instruction_detail", args=[self.instruction.pk]),
                row(302, 404, 200, 200, 404, 200, 200, 200),
            ),
            (
                "instruction sheet in scope",
                "get",
                reverse("leaders:instruction_sheet", args=[self.instruction.pk]),
                row(302, 404, 200, 200, 404, 200, 200, 200),
            ),
            (
                "instruction sheet of another leader's draft",
                "get",
                reverse("leaders:instruction_sheet", args=[self.draft.pk]),
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            (
                "another leader's draft",
                "get",
                reverse("leaders:instruction_detail", args=[self.draft.pk]),
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            (
                "acknowledge",
                "post",
                reverse("leaders:instruction_acknowledge", args=[self.instruction.pk]),
                row(302, 404, 302, 302, 404, 403, 403, 403),
            ),
            (
                "acknowledge another leader's draft",
                "post",
                reverse("leaders:instruction_acknowledge", args=[self.draft.pk]),
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            (
                # 落实情况: the units concerned only; the matrix sends no text, hence 400.
                "respond to an instruction",
                "post",
                reverse("leaders:instruction_respond", args=[self.instruction.pk]),
                row(302, 404, 400, 400, 404, 403, 403, 403),
            ),
            (
                "respond to another leader's draft",
                "post",
                reverse("leaders:instruction_respond", args=[self.draft.pk]),
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            (
                "unacknowledged instructions",
                "get",
                reverse("leaders:instructions_pending"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            # fmt: off
            (
                "notifications",
                "get",
                reverse("notify:list"),
                row(302, 200, 200, 200, 200, 200, 200, 200),
            ),
            (
                "mark staff's notification read",
                "post",
                reverse("notify:read", args=[self.notification.pk]),
                row(302, 404, 302, 404, 404, 404, 404, 404),
            ),
            (
                "mark all read",
                "post",
                reverse("notify:read_all"),
                row(302, 302, 302, 302, 302, 302, 302, 302),
            ),
            (
                "reminder log",
                "get",
                reverse("notify:reminders"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            # The office's first POST is the confirmation page: nothing is sent yet.
            (
                "send reminders",
                "post",
                reverse("notify:send_reminders"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "plan import (upload form)",
                "get",
                reverse("tasks:import"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "plan import upload without a file",
                "post",
                reverse("tasks:import"),
                row(302, 403, 403, 403, 403, 403, 400, 400),
            ),
            (
                "plan import preview",
                "get",
                reverse("tasks:import_preview", args=[self.plan_import.pk]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "plan import status",
                "get",
                reverse("tasks:import_status", args=[self.plan_import.pk]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "reminder result",
                "get",
                reverse("notify:reminder_result", args=[t["1"].plan_id, "2022-W20"]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "reminder result, no such period",
                "get",
                reverse("notify:reminder_result", args=[t["1"].plan_id, "2022-W99"]),
                row(302, 403, 403, 403, 403, 403, 404, 404),
            ),
            (
                "channel settings",
                "get",
                reverse("channels:settings"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "save channel rules",
                "post",
                reverse("channels:rules"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "a unit's channels",
                "get",
                reverse("channels:unit", args=[self.drc.pk]),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "save a unit's channels without the form's fields",
                "post",
                reverse("channels:unit", args=[self.drc.pk]),
                row(302, 403, 403, 403, 403, 403, 400, 400),
            ),
            (
                "channels of a unit that does not exist",
                "get",
                reverse("channels:unit", args=[999999]),
                row(302, 403, 403, 403, 403, 403, 404, 404),
            ),
            (
                "sms gateway",
                "get",
                reverse("channels:sms"),
                row(302, 403, 403, 403, 403, 403, 200, 200),
            ),
            (
                "save the sms gateway",
                "post",
                reverse("channels:sms"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            (
                "what reaches me",
                "get",
                reverse("channels:mine"),
                row(302, 200, 200, 200, 200, 200, 200, 200),
            ),
            # fmt: on
        ]

    def test_every_role_gets_exactly_the_expected_status_on_every_view(self):
        def send(cell):
            _, method, url, _ = cell
            data = {"username": "nobody"}
            if method == "post":
                data.update(plan=self.task["1"].plan_id, period="2022-W20")
            return getattr(self.client, method)(url, data)

        self.assertEqual(failures(self, self.matrix(), send), [])

    def test_the_matrix_covers_every_url_pattern(self):
        from django.urls import get_resolver

        def names(resolver, prefix=""):
            for pattern in resolver.url_patterns:
                if hasattr(pattern, "url_patterns"):
                    ns = f"{pattern.namespace}:" if pattern.namespace else prefix
                    if pattern.namespace == "admin":
                        continue
                    yield from names(pattern, ns)
                elif pattern.name:
                    yield prefix + pattern.name

        covered = set()
        for _, _, url, _ in self.matrix():
            from django.urls import resolve

            match = resolve(url)
            covered.add(
                f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            )
        covered.add("logout")  # POST-only; tested in test_accounts
        covered |= _covered_elsewhere()
        self.assertEqual(set(names(get_resolver())) - covered, set())

    def test_landing_pages_follow_the_role(self):
        expected = {
            self.staff: reverse("tasks:mine"),
            self.town_staff: reverse("tasks:mine"),
            self.leader: reverse("leaders:portfolio", args=[self.zhangya.pk]),
            self.office: reverse("home"),
            self.nobody: reverse("accounts:no_role"),
        }
        for user, url in expected.items():
            self.client.logout()
            response = self.client.post(
                reverse("login"), {"username": user.username, "password": PASSWORD}
            )
            self.assertRedirects(
                response, url, fetch_redirect_response=False, msg_prefix=user.username
            )


@override_settings(DEBUG=False)
class ErrorPageTests(BaseTestCase):
    def test_refusals_and_missing_pages_are_explained_in_chinese(self):
        self.client.force_login(self.town_staff)
        self.assertContains(
            self.client.get(self.task["15"].get_absolute_url()), "未找到", status_code=404
        )
        self.assertContains(self.client.get(reverse("accounts:list")), "无权访问", status_code=403)


STATES = ["draft", "submitted", "approved", "accepted", "returned"]


@override_settings(AS_OF_DATE="2022-05-18")
class ReportStateMatrixTests(BaseTestCase):
    """Reports and their evidence files in every state, for every role (tasks.access).

    A draft is read only by its own unit; once handed in (submitted, approved, accepted, or
    returned after that) by whoever reads the task. Task 1 is read by every unit (the towns
    through 各镇政府（街道办事处）); task 15 by 区发展和改革局 and not by the towns.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reports = {}
        for number in ("1", "15"):
            for week, state in enumerate(STATES, start=16):
                report = ProgressReport.objects.create(
                    task=cls.task[number],
                    department=cls.drc,
                    role="lead",
                    period_key=f"2022-W{week}",
                    period_start=f"2022-04-{week - 2:02d}",
                    period_end=f"2022-04-{week + 4:02d}",
                    state=state,
                    progress=f"{state} 的进展",
                    created_by=cls.staff,
                    updated_by=cls.staff,
                )
                attachment = Attachment(
                    report=report,
                    original_name=f"{state}.pdf",
                    size=8,
                    content_type="application/pdf",
                    uploaded_by=cls.staff,
                )
                attachment.file.save(f"{state}.pdf", ContentFile(b"%PDF-1.4"), save=True)
                cls.reports[number, state] = (report, attachment)

    def expected(self, number, state):
        handed_in = state != "draft"
        towns = 200 if number == "1" and handed_in else 404
        others = 200 if handed_in else 404
        return row(302, 404, 200, 200, towns, others, others, others)

    def cells(self):
        for (number, state), (report, attachment) in self.reports.items():
            expected = self.expected(number, state)
            yield (
                f"task {number} {state} history",
                "get",
                reverse("tasks:report_history", args=[report.pk]),
                expected,
            )
            yield (
                f"task {number} {state} file",
                "get",
                reverse("tasks:attachment", args=[attachment.pk]),
                expected,
            )

    def test_every_role_reads_exactly_the_reports_and_files_the_rule_allows(self):
        def send(cell):
            label, _, url, _ = cell
            response = self.client.get(url)
            if response.status_code == 200 and "file" in label:
                self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4")
            return response

        self.assertEqual(failures(self, list(self.cells()), send), [])

    def test_the_task_page_lists_exactly_the_reports_the_history_page_opens(self):
        for role, user in users_by_role(self).items():
            if user is None:
                continue
            self.client.force_login(user)
            for number in ("1", "15"):
                page = self.client.get(self.task[number].get_absolute_url())
                for state in STATES:
                    report, attachment = self.reports[number, state]
                    link = reverse("tasks:report_history", args=[report.pk])
                    shown = page.status_code == 200 and link in page.content.decode()
                    opens = self.expected(number, state)[role] == 200
                    self.assertEqual(shown, opens, f"{role} task {number} {state}")

    def test_review_actions_on_a_report_nobody_may_read_are_not_found(self):
        draft, _ = self.reports["1", "draft"]
        for user in (self.town_staff, self.leader, self.office, self.admin):
            self.client.force_login(user)
            for action in ("approve", "accept", "return"):
                url = reverse("tasks:report_action", args=[draft.pk, action])
                response = self.client.post(url, {"reason": "x"})
                self.assertEqual(response.status_code, 404, f"{user.username} {action}")
        draft.refresh_from_db()
        self.assertEqual(draft.state, "draft")
