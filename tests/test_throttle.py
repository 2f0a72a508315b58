"""Login throttling on every login path: pairs, spraying, rotation, the office NAT, unlocking.

The policy is accounts.throttle on django-axes: 5 failures per username+address
(LOGIN_MAX_FAILURES), 20 per address across usernames, 10 per username across addresses.
Passwords are hashed with MD5 here only so that a hundred logins take a second, not a minute.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.throttle import limits, weighted_failures

from .base import PASSWORD, BaseTestCase

FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.mark.parametrize(
    ("counts", "locked"),
    [
        ({"pair": 4, "address": 19, "username": 9}, False),
        ({"pair": 5, "address": 5, "username": 5}, True),
        ({"pair": 1, "address": 20, "username": 1}, True),
        ({"pair": 4, "address": 8, "username": 10}, True),
        ({"pair": 0, "address": 0, "username": 0}, False),
    ],
)
def test_each_count_is_weighed_against_its_own_limit(counts, locked):
    policy = {"pair": 5, "address": 20, "username": 10}
    assert (weighted_failures(counts, policy) >= policy["pair"]) is locked


@FAST
class ThrottleTests(BaseTestCase):
    def login(self, username, password, ip="10.0.0.1", path="login", **extra):
        return self.client.post(
            reverse(path), {"username": username, "password": password, **extra}, REMOTE_ADDR=ip
        )

    def assert_logs_in(self, username, ip, path="login"):
        response = self.login(username, PASSWORD, ip, path)
        self.assertEqual(response.status_code, 302, f"{username} from {ip}")
        self.assertIn("_auth_user_id", self.client.session)
        self.client.logout()

    def assert_refused(self, username, ip, path="login"):
        response = self.login(username, PASSWORD, ip, path)
        self.assertEqual(response.status_code, 429, f"{username} from {ip}")
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_policy_reads_the_settings(self):
        self.assertEqual(limits(), {"pair": 5, "address": 20, "username": 10})

    def test_the_admin_login_is_throttled_by_the_same_policy(self):
        for _ in range(30):
            self.login("root", "wrong", path="admin:login")
        self.assert_refused("root", "10.0.0.1", path="admin:login")
        self.assert_refused("root", "10.0.0.1")  # one lock for both login pages
        attempt = AccessAttempt.objects.get()
        self.assertEqual(attempt.failures_since_start, 5)
        self.assertNotIn(PASSWORD, attempt.post_data)
        self.assertNotIn("wrong", attempt.post_data)  # no password kept, typed or right
        self.assert_logs_in("root", "10.0.0.2", path="admin:login")

    def test_failures_on_the_login_page_lock_the_admin_login_too(self):
        for _ in range(5):
            self.login("ROOT ", "wrong")  # the same username, however it is typed
        self.assert_refused("root", "10.0.0.1", path="admin:login")

    def test_spraying_one_password_over_many_usernames_locks_the_address(self):
        for n in range(42):
            self.login(f"user{n:02d}", "Spring2022!", ip="203.0.113.7")
        # Locked after 20 usernames: even a real account with its password, from there.
        self.assertEqual(
            sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)), 20
        )
        self.assert_refused("staff", "203.0.113.7")
        self.assert_logs_in("staff", "10.0.0.1")

    def test_rotating_addresses_against_one_username_locks_the_username(self):
        for n in range(1, 7):
            for _ in range(4):  # under the pair limit from each address
                self.login("staff", "guess", ip=f"198.51.100.{n}")
        self.assert_refused("staff", "198.51.100.7")
        self.assert_refused("staff", "10.0.0.1")
        # The addresses themselves are not locked for other people.
        self.assert_logs_in("head", "198.51.100.1")

    def test_one_person_mistyping_behind_the_office_nat_locks_nobody_else(self):
        office_nat = "192.0.2.10"
        for _ in range(30):
            self.login("staff", "typo", ip=office_nat)
        self.assert_refused("staff", office_nat)
        for colleague in ("head", "town", "leader", "office", "nobody"):
            self.assert_logs_in(colleague, office_nat)
        self.assert_logs_in("staff", "10.9.9.9")  # the same person from another address

    @override_settings(
        LOGIN_MAX_FAILURES=2, LOGIN_MAX_FAILURES_PER_ADDRESS=3, LOGIN_MAX_FAILURES_PER_USERNAME=4
    )
    def test_the_three_limits_are_the_settings(self):
        self.login("staff", "wrong")
        self.assert_logs_in("staff", "10.0.0.1")  # one failure, then success: cleared
        self.login("staff", "wrong")
        self.login("staff", "wrong")
        self.assert_refused("staff", "10.0.0.1")  # 2 per pair
        for name in ("a", "b", "c"):
            self.login(name, "wrong", ip="10.0.0.2")
        self.assert_refused("head", "10.0.0.2")  # 3 per address
        for n in range(4):
            self.login("town", "wrong", ip=f"10.0.1.{n}")
        self.assert_refused("town", "10.0.2.1")  # 4 per username

    def test_a_success_clears_only_its_own_username_and_address(self):
        for n in range(19):
            self.login(f"user{n}", "wrong", ip="203.0.113.9")
        self.assert_logs_in("staff", "203.0.113.9")  # a valid account does not wipe the count
        self.login("user99", "wrong", ip="203.0.113.9")
        self.assert_refused("head", "203.0.113.9")

    def test_the_office_sees_and_lifts_each_kind_of_lock(self):
        for _ in range(5):
            self.login("staff", "wrong")
        for n in range(20):
            self.login(f"user{n}", "wrong", ip="203.0.113.8")
        for n in range(10):
            self.login("town", "wrong", ip=f"198.51.100.{n % 3 + 1}")
        self.client.force_login(self.office)
        page = self.client.get(reverse("accounts:list")).content.decode()
        for text in ("当前被锁定的登录", "账号+地址", "地址（多个账号）", "账号（多个地址）"):
            self.assertIn(text, page)
        dashboard = self.client.get(reverse("home"))
        self.assertContains(dashboard, "当前有 3 个登录被锁定")
        unlock = reverse("accounts:unlock")
        self.client.post(unlock, {"username": "staff", "ip_address": "10.0.0.1"})
        self.client.post(unlock, {"username": "", "ip_address": "203.0.113.8"})
        self.client.post(unlock, {"username": "town", "ip_address": ""})
        response = self.client.post(unlock, {"username": "", "ip_address": "not-an-ip"})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assert_logs_in("staff", "10.0.0.1")
        self.assert_logs_in("head", "203.0.113.8")
        self.assert_logs_in("town", "198.51.100.1")

    def test_a_password_reset_by_the_office_lifts_the_username_lock(self):
        for n in range(10):
            self.login("staff", "wrong", ip=f"198.51.100.{n}")
        self.client.force_login(self.office)
        self.client.post(reverse("accounts:reset_password", args=[self.staff.pk]))
        self.assertFalse(AccessAttempt.objects.filter(username="staff").exists())

    @override_settings(TRUST_X_FORWARDED_FOR=True)
    def test_a_forged_forwarded_address_is_not_trusted_blindly(self):
        for forged in ("not-an-address", "1.2.3.4\x00", "x" * 5000):
            response = self.client.post(
                reverse("login"),
                {"username": "staff", "password": "wrong"},
                REMOTE_ADDR="10.0.0.5",
                HTTP_X_FORWARDED_FOR=forged,
            )
            self.assertEqual(response.status_code, 200)
        self.assertEqual(
            set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"10.0.0.5"}
        )
        self.client.post(
            reverse("login"),
            {"username": "staff", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.50, 10.0.0.5",
        )
        self.assertTrue(AccessAttempt.objects.filter(ip_address="203.0.113.50").exists())

    def test_the_lock_page_names_when_the_lock_ends(self):
        with override_settings(LOGIN_LOCKOUT_SECONDS=600):
            for _ in range(5):
                self.login("staff", "wrong")
            last = AccessAttempt.objects.get().attempt_time
            response = self.login("staff", PASSWORD)
        until = timezone.localtime(last + datetime.timedelta(seconds=600))
        self.assertContains(response, f"请于 {until:%H:%M} 后再试", status_code=429)
