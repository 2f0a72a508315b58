"""Security headers (CSP, Permissions-Policy, Cache-Control, X-Robots-Tag) and `next` redirects."""

import re

from django.test import override_settings
from django.urls import reverse

from leaders.models import Instruction
from tasks.models import ProgressReport

from . import objects
from .base import PASSWORD, BaseTestCase

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)
EVIL = ["/\\evil.example", "//evil.example", "https://evil.example", "/\\/evil.example/x"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@override_settings(AS_OF_DATE="2022-05-18")
class HeaderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, cls.attachment = objects.submitted_report_with_evidence(cls)
        plan = cls.task["1"].plan
        cls.snapshot = objects.week_19_workbook(plan)
        cls.instruction = objects.published_instruction(cls)

    def test_the_policy_allows_only_our_own_files_and_no_inline_script_or_style(self):
        response = self.client.get(reverse("login"))
        policy = directives(response)
        for directive in ("default-src", "script-src", "style-src", "img-src", "connect-src"):
            self.assertEqual(policy[directive], ["'self'"], directive)
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertNotIn("unsafe-inline", response["Content-Security-Policy"])
        self.assertNotIn("unsafe-eval", response["Content-Security-Policy"])
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])

    def pages(self):
        t = self.task
        return {
            self.office: [
                reverse("home"),
                reverse("tasks:list"),
                t["15"].get_absolute_url(),
                reverse("tasks:review"),
                reverse("accounts:list"),
                reverse("accounts:import"),
                reverse("reports:list"),
                reverse("notify:reminders"),
                reverse("leaders:instructions_pending"),
                reverse("tasks:report_history", args=[self.report.pk]),
                reverse("tasks:indicators", args=["2022", "7"]),
            ],
            self.staff: [
                reverse("tasks:mine"),
                reverse("tasks:report", args=["2022", "15"]),
                reverse("leaders:instruction_detail", args=[self.instruction.pk]),
                reverse("notify:list"),
                reverse("accounts:password_change"),
            ],
            self.leader: [
                reverse("leaders:portfolio", args=[self.zhangya.pk]),
                reverse("leaders:instruction_write", args=["2022", "15"]),
            ],
            self.admin: [reverse("admin:index"), reverse("admin:auth_user_changelist")],
            self.nobody: [reverse("accounts:no_role")],
        }

    def test_no_page_carries_inline_script_handlers_or_styles_and_none_is_cached(self):
        found = []
        for user, urls in self.pages().items():
            self.client.force_login(user)
            for url in urls:
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 403), url)
                html = response.content.decode()
                for name, pattern in (
                    ("script", INLINE_SCRIPT),
                    ("handler", INLINE_HANDLER),
                    ("style", INLINE_STYLE),
                ):
                    found += [f"{url}: {name} {m[:80]}" for m in pattern.findall(html)]
                self.assertIn("Content-Security-Policy", response, url)
                self.assertIn("no-store", response["Cache-Control"], url)
                self.assertIn("private", response["Cache-Control"], url)
        self.assertEqual(found, [])

    def test_evidence_files_and_every_xlsx_download_are_not_stored(self):
        self.client.force_login(self.office)
        downloads = [
            reverse("tasks:attachment", args=[self.attachment.pk]),
            reverse("reports:download", args=[self.snapshot.pk]),
            reverse("tasks:list") + "?_export=xlsx",
            reverse("tasks:review") + "?_export=xlsx",
            reverse("accounts:list") + "?_export=xlsx",
            reverse("notify:reminders") + "?_export=xlsx",
        ]
        for url in downloads:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("attachment", response.get("Content-Disposition", ""), url)
            self.assertIn("no-store", response["Cache-Control"], url)
            self.assertIn("private", response["Cache-Control"], url)
        self.client.force_login(self.staff)
        response = self.client.get(reverse("tasks:mine") + "?_export=xlsx")
        self.assertIn("no-store", response["Cache-Control"])

    def test_the_login_page_is_not_cached_either(self):
        self.assertIn("no-store", self.client.get(reverse("login"))["Cache-Control"])

    def test_no_page_or_file_is_indexed_by_a_search_engine(self):
        login = self.client.get(reverse("login"))
        self.assertEqual(login["X-Robots-Tag"], "noindex, nofollow")
        self.assertContains(login, '<meta name="robots" content="noindex, nofollow">')
        self.client.force_login(self.staff)
        evidence = self.client.get(reverse("tasks:attachment", args=[self.attachment.pk]))
        self.assertEqual(evidence.status_code, 200)
        self.assertEqual(evidence["X-Robots-Tag"], "noindex, nofollow")


class OpenRedirectTests(BaseTestCase):
    def test_login_follows_only_a_next_on_this_site(self):
        for target in EVIL:
            self.client.logout()
            response = self.client.post(
                reverse("login"), {"username": "staff", "password": PASSWORD, "next": target}
            )
            self.assertRedirects(
                response, reverse("tasks:mine"), fetch_redirect_response=False, msg_prefix=target
            )
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "staff", "password": PASSWORD, "next": "/tasks/"}
        )
        self.assertRedirects(response, "/tasks/", fetch_redirect_response=False)

    def test_review_actions_follow_only_a_next_on_this_site(self):
        report = ProgressReport.objects.create(
            task=self.task["15"],
            department=self.drc,
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            state="submitted",
            created_by=self.staff,
            updated_by=self.staff,
        )
        self.client.force_login(self.office)
        url = reverse("tasks:report_action", args=[report.pk, "accept"])
        for target in EVIL:
            response = self.client.post(url, {"next": target})
            self.assertRedirects(
                response, reverse("tasks:review"), fetch_redirect_response=False, msg_prefix=target
            )
        response = self.client.post(url, {"next": "/tasks/"})
        self.assertRedirects(response, "/tasks/", fetch_redirect_response=False)

    def test_acknowledging_follows_only_a_next_on_this_site(self):
        instruction = Instruction.objects.create(
            task=self.task["15"],
            leader=self.zhangya,
            text="抓紧推进",
            state="published",
            published_at="2022-05-17T10:00:00+08:00",
        )
        self.client.force_login(self.staff)
        url = reverse("leaders:instruction_acknowledge", args=[instruction.pk])
        for target in EVIL:
            response = self.client.post(url, {"next": target})
            self.assertRedirects(
                response,
                instruction.get_absolute_url(),
                fetch_redirect_response=False,
                msg_prefix=target,
            )
