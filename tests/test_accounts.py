"""Login, throttling, forced password change, onboarding, the role audit and logs."""

import datetime
import io
import os
import subprocess
import sys
import tempfile

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.models import Profile, RoleChange
from leaders.models import Leader

from .base import PASSWORD, BaseTestCase, make_user
from .helpers import ROOT


def xlsx(rows, header=("单位", "姓名", "用户名", "角色", "手机")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for r in rows:
        sheet.append(list(r))
    # Text a person typed stays text, even when it starts with "=" (as Excel stores it).
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class LoginTests(BaseTestCase):
    def login(self, password, username="staff", ip="10.0.0.1"):
        return self.client.post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    def test_it_logs_in_and_lands_on_my_tasks(self):
        response = self.login(PASSWORD)
        self.assertRedirects(response, reverse("tasks:mine"), fetch_redirect_response=False)

    def test_a_wrong_password_shows_a_chinese_error(self):
        response = self.login("wrong")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请输入一个正确的")

    def test_five_failures_lock_the_username_from_that_address(self):
        for _ in range(5):
            response = self.login("wrong")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        # Even the right password is refused during the lock.
        response = self.login(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_lock_does_not_affect_colleagues_behind_the_same_address(self):
        for _ in range(5):
            self.login("wrong")
        response = self.login(PASSWORD, username="head")
        self.assertEqual(response.status_code, 302)

    def test_a_lock_does_not_affect_the_same_user_from_another_address(self):
        for _ in range(5):
            self.login("wrong")
        self.assertEqual(self.login(PASSWORD, ip="10.0.0.2").status_code, 302)

    @override_settings(LOGIN_LOCKOUT_SECONDS=60)
    def test_the_lock_ends_after_the_cool_off(self):
        for _ in range(5):
            self.login("wrong")
        self.assertEqual(self.login(PASSWORD).status_code, 429)
        AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(seconds=61))
        self.assertEqual(self.login(PASSWORD).status_code, 302)

    def test_the_office_can_unlock(self):
        for _ in range(5):
            self.login("wrong")
        self.client.force_login(self.office)
        page = self.client.get(reverse("accounts:list"))
        self.assertContains(page, "当前被锁定的登录")
        self.client.post(
            reverse("accounts:unlock"), {"username": "staff", "ip_address": "10.0.0.1"}
        )
        self.client.logout()
        self.assertEqual(self.login(PASSWORD).status_code, 302)

    def test_a_successful_login_clears_earlier_failures(self):
        for _ in range(4):
            self.login("wrong")
        self.login(PASSWORD)
        self.client.logout()
        for _ in range(4):
            self.login("wrong")
        self.assertEqual(self.login(PASSWORD).status_code, 302)

    def test_logs_never_contain_the_password(self):
        with self.assertLogs("accounts", level="INFO") as logs:
            self.login("s3cret-Typed-Wrong")
            self.login(PASSWORD)
        text = "\n".join(logs.output)
        self.assertIn("login failed", text)
        self.assertNotIn("s3cret-Typed-Wrong", text)
        self.assertNotIn(PASSWORD, text)
        self.assertNotIn(self.client.session.session_key, text)

    def test_logout_is_a_post(self):
        self.client.force_login(self.staff)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_open_redirect_in_next_is_ignored(self):
        response = self.client.post(
            reverse("login"),
            {"username": "staff", "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertRedirects(response, reverse("tasks:mine"), fetch_redirect_response=False)

    def test_forms_carry_csrf_protection(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)


class ForcedPasswordChangeTests(BaseTestCase):
    def test_first_login_with_an_issued_password_forces_a_change(self):
        make_user("newbie", unit=self.drc, reporter=True, must_change=True)
        self.client.post(reverse("login"), {"username": "newbie", "password": PASSWORD})
        response = self.client.get(reverse("tasks:mine"))
        self.assertRedirects(response, reverse("accounts:password_change"))
        response = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Brand-new-9x",
                "new_password2": "Brand-new-9x",
            },
        )
        self.assertRedirects(response, reverse("tasks:mine"), fetch_redirect_response=False)
        self.assertFalse(Profile.objects.get(user__username="newbie").must_change_password)
        self.assertEqual(self.client.get(reverse("tasks:mine")).status_code, 200)

    def test_a_weak_new_password_is_refused_in_chinese(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "密码")
        self.assertTrue(get_user_model().objects.get(username="staff").check_password(PASSWORD))

    def test_the_office_reset_issues_a_one_time_password(self):
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("accounts:reset_password", args=[self.staff.pk]), follow=True
        )
        self.assertContains(response, "一次性密码")
        self.assertTrue(Profile.objects.get(user=self.staff).must_change_password)
        self.assertFalse(get_user_model().objects.get(pk=self.staff.pk).check_password(PASSWORD))


class OnboardingTests(BaseTestCase):
    GOOD = [
        ("区发展和改革委员会", "王一", "wangyi", "填报员", "13800000001"),
        ("堂邑镇", "李二", "lier", "填报员、单位负责人", 13800000002),
        ("", "梅永杰", "meiyongjie", "区领导", ""),
        ("", "赵督查", "zhaodc", "督查室", ""),
    ]

    def upload(self, data: bytes, step="check"):
        self.client.force_login(self.office)
        return self.client.post(
            reverse("accounts:import"),
            {"step": step, "file": io.BytesIO(data) if data is not None else ""},
        )

    def test_a_good_file_is_checked_first_and_creates_nothing(self):
        before = get_user_model().objects.count()
        response = self.upload(xlsx(self.GOOD))
        self.assertContains(response, "检查通过：将创建 4 个账号")
        self.assertEqual(get_user_model().objects.count(), before)

    def test_confirming_creates_the_accounts_and_returns_their_passwords_once(self):
        self.upload(xlsx(self.GOOD))
        response = self.client.post(reverse("accounts:import"), {"step": "create"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("单位", "姓名", "用户名", "角色", "初始密码"))
        self.assertEqual(len(rows), 5)
        by_username = {r[2]: r for r in rows[1:]}
        self.assertEqual(by_username["wangyi"][0], "区发展和改革局")  # resolved through the alias
        wangyi = get_user_model().objects.get(username="wangyi")
        self.assertTrue(wangyi.check_password(by_username["wangyi"][4]))
        self.assertTrue(wangyi.profile.must_change_password)
        self.assertEqual(Leader.objects.get(name="梅永杰").user.username, "meiyongjie")
        lier = Profile.objects.get(user__username="lier")
        self.assertTrue(lier.is_reporter and lier.is_unit_head)
        self.assertEqual(lier.phone, "13800000002")
        # The passwords are handed out once: a second confirm has nothing to create.
        again = self.client.post(reverse("accounts:import"), {"step": "create"}, follow=True)
        self.assertContains(again, "请先上传并检查文件")

    def test_bad_rows_are_reported_by_row_and_nothing_is_created(self):
        rows = [
            *self.GOOD,
            ("区不存在局", "张三", "zhangsan", "填报员", ""),
            ("区财政局", "李四", "wangyi", "填报员", ""),
            ("区财政局", "王五", "wangwu", "局长", ""),
            ("区财政局", "赵六", "staff", "填报员", ""),
            ("", "不是领导", "fake", "区领导", ""),
        ]
        before = get_user_model().objects.count()
        response = self.upload(xlsx(rows))
        for expected in [
            "第 6 行：单位“区不存在局”不存在",
            "第 7 行：用户名“wangyi”与第 2 行重复",
            "第 8 行：角色“局长”无效",
            "第 9 行：用户名“staff”已存在",
            "第 10 行：区领导“不是领导”不在区领导名单中",
        ]:
            self.assertContains(response, expected)
        self.assertNotContains(response, "确认创建并下载初始密码")
        self.assertEqual(get_user_model().objects.count(), before)

    def test_a_file_that_is_not_xlsx_is_refused(self):
        response = self.upload(b"this is not a workbook")
        self.assertContains(response, "请上传 .xlsx 格式")

    def test_a_wrong_header_is_refused(self):
        response = self.upload(xlsx(self.GOOD, header=("部门", "姓名", "账号", "角色", "电话")))
        self.assertContains(response, "缺少：单位、用户名、手机")

    def test_the_command_does_a_dry_run_then_writes_the_credentials(self):
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "people.xlsx")
            with open(source, "wb") as handle:
                handle.write(xlsx(self.GOOD))
            out = io.StringIO()
            call_command("import_accounts", source, "--dry-run", stdout=out)
            self.assertIn("试运行", out.getvalue())
            self.assertFalse(get_user_model().objects.filter(username="wangyi").exists())
            target = os.path.join(tmp, "pw.xlsx")
            call_command("import_accounts", source, "--out", target, stdout=io.StringIO())
            sheet = load_workbook(target).active
            self.assertEqual(sheet.max_row, 5)

    def test_the_command_refuses_bad_rows_with_their_numbers(self):
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(xlsx([("区不存在局", "张三", "zhangsan", "填报员", "")]))
            handle.flush()
            with self.assertRaises(CommandError) as caught:
                call_command("import_accounts", handle.name, stdout=io.StringIO())
        self.assertIn("第 2 行", str(caught.exception))

    def test_a_name_that_could_be_a_formula_stays_text_in_the_credentials(self):
        self.upload(xlsx([("区财政局", '=HYPERLINK("http://x")', "formula", "填报员", "")]))
        response = self.client.post(reverse("accounts:import"), {"step": "create"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cell = sheet.cell(row=2, column=2)
        self.assertEqual(cell.data_type, "s")
        self.assertTrue(str(cell.value).startswith("'="))


class RoleAuditTests(BaseTestCase):
    def test_every_change_of_role_or_unit_is_recorded_with_who_and_what(self):
        profile = Profile.objects.get(user=self.staff)
        profile.department = self.town
        profile.is_unit_head = True
        profile.save(changed_by=self.office)
        changes = {
            c.what: c for c in RoleChange.objects.filter(user=self.staff, changed_by=self.office)
        }
        self.assertEqual(changes["所在单位"].old_value, "区发展和改革局")
        self.assertEqual(changes["所在单位"].new_value, "堂邑镇")
        self.assertEqual(changes["单位负责人"].new_value, "是")
        self.assertEqual(changes["所在单位"].changed_by, self.office)

    def test_linking_a_leader_account_is_recorded(self):
        user = make_user("newleader")
        leader = Leader.objects.get(name="梅永杰")
        leader.user = user
        leader.save(changed_by=self.admin)
        change = RoleChange.objects.get(user=user, what="区领导")
        self.assertEqual((change.new_value, change.changed_by), ("梅永杰", self.admin))

    def test_saving_without_a_change_records_nothing(self):
        before = RoleChange.objects.count()
        Profile.objects.get(user=self.staff).save()
        self.assertEqual(RoleChange.objects.count(), before)

    def test_the_office_dashboard_shows_recent_role_changes(self):
        Profile.objects.get(user=self.staff).save(changed_by=self.office)  # no change
        profile = Profile.objects.get(user=self.town_staff)
        profile.is_unit_head = True
        profile.save(changed_by=self.office)
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("home")), "单位负责人")


class DemoAccountTests(BaseTestCase):
    def test_the_demo_accounts_can_log_in_where_the_readme_says(self):
        call_command("create_demo_accounts", stdout=io.StringIO())
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        for username, password, landing in [
            ("ducha", "demo-ducha-2022", reverse("home")),
            ("zhangya", "demo-leader-2022", reverse("leaders:portfolio", args=[self.zhangya.pk])),
            ("fgj", "demo-fgj-2022", reverse("tasks:mine")),
            ("fgj-head", "demo-fgjhead-2022", reverse("tasks:mine")),
            ("tangyi", "demo-tangyi-2022", reverse("tasks:mine")),
        ]:
            self.assertIn(f"`{username}`", readme)
            self.assertIn(f"`{password}`", readme)
            self.client.logout()
            response = self.client.post(
                reverse("login"), {"username": username, "password": password}
            )
            self.assertRedirects(
                response, landing, fetch_redirect_response=False, msg_prefix=username
            )


def test_check_deploy_gives_no_warning_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "dudu.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "ALLOWED_HOSTS": "dudu.example"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


class SessionTests(BaseTestCase):
    def _stored(self):
        return Session.objects.get(session_key=self.client.session.session_key)

    def _age_session_by(self, seconds):
        """Move the stored session's last renewal and expiry `seconds` into the past."""
        from accounts.middleware import SessionRenewalMiddleware

        stored = self._stored()
        data = stored.get_decoded()
        data[SessionRenewalMiddleware.KEY] -= seconds
        stored.session_data = Session.objects.encode(data)
        stored.expire_date -= datetime.timedelta(seconds=seconds)
        stored.save()
        # With sessions read from Redis (SESSION_STORE=cache) the copy there would still be
        # the fresh one: drop it, as its time to live (the idle age) would have done.
        from django.conf import settings
        from django.core.cache import caches

        if settings.SESSION_ENGINE.endswith("cached_db"):
            store = self.client.session
            caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key)

    def test_a_request_renews_an_idle_session_at_most_once_a_minute(self):
        from django.conf import settings

        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 8 * 3600)
        self.client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
        first = self._stored().expire_date
        self.assertAlmostEqual(
            (first - timezone.now()).total_seconds(), settings.SESSION_COOKIE_AGE, delta=5
        )
        self._age_session_by(30)  # half a minute ago: not renewed again yet
        self.client.get(reverse("tasks:mine"))
        self.assertEqual(self._stored().expire_date, first - datetime.timedelta(seconds=30))
        self._age_session_by(settings.SESSION_RENEW_SECONDS)  # 1.5 minutes ago: renewed
        self.client.get(reverse("tasks:mine"))
        self.assertAlmostEqual(
            (self._stored().expire_date - timezone.now()).total_seconds(),
            settings.SESSION_COOKIE_AGE,
            delta=5,
        )

    def test_a_session_idle_past_its_age_is_logged_out(self):
        from django.conf import settings

        self.client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
        self._age_session_by(settings.SESSION_COOKIE_AGE + 1)
        response = self.client.get(reverse("tasks:mine"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
