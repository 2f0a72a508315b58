"""The permission matrix: every role × every view × an object inside and outside the scope.

A cell is the expected status. 302 for anonymous visitors means "sent to the login page";
out-of-scope objects are 404 (nothing is found by guessing a URL), role-gated pages 403.
"""

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from leaders.models import Instruction
from reports.models import Notification, ReportJob, WeeklySnapshot
from reports.rollup import workbook_path
from tasks.models import Attachment, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import PASSWORD, BaseTestCase

ROLES = ["anon", "nobody", "staff", "head", "town", "leader", "office", "admin"]


def row(*statuses):
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


@override_settings(AS_OF_DATE="2022-05-18")
class PermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A submitted report of 区发展和改革局 on task 15 (outside the towns' scope), with evidence.
        cls.report = ProgressReport.objects.create(
            task=cls.task["15"],
            department=cls.drc,
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            state="submitted",
            progress="进展",
            created_by=cls.staff,
            updated_by=cls.staff,
        )
        cls.attachment = Attachment(
            report=cls.report,
            original_name="a.pdf",
            size=8,
            content_type="application/pdf",
            uploaded_by=cls.staff,
        )
        cls.attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
        plan = cls.task["1"].plan
        cls.snapshot = WeeklySnapshot.objects.create(
            plan=plan,
            period_key="2022-W19",
            period_label="2022年第19周",
            as_of="2022-05-15",
            generated_at="2022-05-13T18:00:00+08:00",
            file="private/weekly/2022/2022-W19.xlsx",
        )
        target = workbook_path(plan, parse_period_key("2022-W19"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"PK\x03\x04 stand-in workbook")
        cls.job = ReportJob.objects.create(plan=plan, period_key="2022-W19")
        cls.notification = Notification.objects.create(user=cls.staff, kind="other", title="通知")
        # A published instruction of 张娅 on task 15, and 梅永杰's draft on task 44.
        cls.instruction = Instruction.objects.create(
            task=cls.task["15"],
            leader=cls.zhangya,
            text="抓紧推进",
            state="published",
            published_at="2022-05-17T10:00:00+08:00",
        )
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
            (
                "send reminders",
                "post",
                reverse("notify:send_reminders"),
                row(302, 403, 403, 403, 403, 403, 302, 302),
            ),
            # fmt: on
            # fmt: on
        ]

    def users(self):
        return {
            "anon": None,
            "nobody": self.nobody,
            "staff": self.staff,
            "head": self.head,
            "town": self.town_staff,
            "leader": self.leader,
            "office": self.office,
            "admin": self.admin,
        }

    def test_every_role_gets_exactly_the_expected_status_on_every_view(self):
        failures = []
        for role, user in self.users().items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for label, method, url, expected in self.matrix():
                data = {"username": "nobody"}
                if method == "post":
                    data.update(plan=self.task["1"].plan_id, period="2022-W20")
                response = getattr(self.client, method)(url, data)
                if response.status_code != expected[role]:
                    failures.append(
                        f"{role} {method} {label}: {response.status_code} != {expected[role]}"
                    )
        self.assertEqual(failures, [])

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
