"""Accessibility rules the server-side HTML keeps (the browser side is tests/e2e/test_axe.py)."""

import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from .base import BaseTestCase

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DESCRIBEDBY = re.compile(r'aria-describedby="([^"]+)"')


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def dangling_describedby(html: str) -> list[str]:
    found = ids(html)
    return [ref for refs in DESCRIBEDBY.findall(html) for ref in refs.split() if ref not in found]


@override_settings(AS_OF_DATE="2022-05-18")
class FormErrorTests(BaseTestCase):
    def test_a_refused_report_marks_the_field_ties_the_error_and_sums_up_at_the_top(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20"
        response = self.client.post(
            url, {"action": "submit", "progress": " ", "percent": "40", "version": 0}
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertRegex(html, r"<title>错误：")
        self.assertIn('id="error-summary" role="alert" tabindex="-1"', html)
        self.assertIn('<a href="#id_progress">工作进展：提交前请填写“工作进展”。</a>', html)
        textarea = re.search(r"<textarea[^>]*name=\"progress\"[^>]*>", html)[0]
        self.assertIn('aria-invalid="true"', textarea)
        self.assertIn('aria-describedby="id_progress_error"', textarea)
        self.assertRegex(html, r'<div class="error" id="id_progress_error">提交前请填写')
        self.assertEqual(dangling_describedby(html), [])

    def test_help_texts_named_by_aria_describedby_exist(self):
        self.client.force_login(self.staff)
        for url in (
            reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20",
            reverse("accounts:password_change"),
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertTrue(DESCRIBEDBY.search(html), "a help text is described")
                self.assertEqual(dangling_describedby(html), [])
                self.assertNotIn("错误：", html.split("</title>")[0])

    def test_a_success_message_is_a_status_and_an_error_message_an_alert(self):
        self.client.force_login(self.staff)
        url = reverse("tasks:report", args=["2022", "1"]) + "?period=2022-W20"
        data = {"action": "save", "progress": "草稿", "percent": "", "version": 0}
        response = self.client.post(url, data, follow=True)
        html = response.content.decode()
        self.assertRegex(html, r'<div role="status"><ul class="messages"><li class="msg-success">')
        self.assertRegex(html, r'<div role="alert"><ul class="messages"></ul></div>')


@override_settings(AS_OF_DATE="2022-05-18")
class PageFrameTests(BaseTestCase):
    def test_the_first_focusable_element_skips_to_the_main_content(self):
        self.client.force_login(self.staff)
        html = self.client.get(reverse("tasks:mine")).content.decode()
        body = html.split("<body>", 1)[1]
        first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)[0]
        self.assertEqual(first, '<a class="skiplink" href="#main">')
        self.assertIn('<main class="content" id="main" tabindex="-1">', html)

    def test_the_pickers_change_nothing_until_their_button_is_pressed(self):
        self.client.force_login(self.staff)
        html = self.client.get(reverse("tasks:mine")).content.decode()
        self.assertIn('<button type="submit">切换方案</button>', html)
        self.assertIn('<button type="submit">查看该期</button>', html)
        self.assertNotIn("data-autosubmit", html)

    def test_no_template_or_script_navigates_when_a_select_changes(self):
        offenders = [
            str(path.relative_to(settings.BASE_DIR))
            for path in [
                *TEMPLATES.rglob("*.html"),
                *Path(settings.BASE_DIR, "static").rglob("*.js"),
            ]
            if re.search(r"data-autosubmit|addEventListener\(\s*\"change\"", path.read_text())
        ]
        self.assertEqual(offenders, [])

    def test_the_sorted_column_says_so_and_the_current_page_is_marked(self):
        self.client.force_login(self.office)
        html = self.client.get(reverse("tasks:list") + "?sort=-number&page=2").content.decode()
        self.assertRegex(html, r'<th [^>]*aria-sort="descending"')
        self.assertEqual(html.count("aria-sort="), 1)
        self.assertRegex(
            html, r'<li class="active"><a href="[^"]*page=2[^"]*" aria-current="page">2</a>'
        )
        self.assertIn('<nav class="pager" aria-label="分页">', html)
