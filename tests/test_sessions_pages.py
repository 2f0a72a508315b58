"""Sessions read from Redis and written through to the database (SESSION_STORE=cache) keep
what the database engine gave: one record for every worker, logout and password change end
it everywhere, a lost Redis copy falls back to the database. And the UI stays Chinese
whatever the browser's Accept-Language (no LocaleMiddleware)."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from .base import PASSWORD, BaseTestCase


class CachedSessionTests(BaseTestCase):
    def login(self) -> Client:
        client = Client()
        response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        return client

    def mine(self, client) -> int:
        return client.get(reverse("tasks:mine")).status_code

    def test_a_session_is_kept_in_redis_and_in_the_database(self):
        client = self.login()
        store = client.session
        self.assertTrue(Session.objects.filter(session_key=store.session_key).exists())
        self.assertIsNotNone(caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key))

    def test_without_its_redis_copy_a_session_is_read_from_the_database(self):
        client = self.login()
        caches[settings.SESSION_CACHE_ALIAS].delete(client.session.cache_key)
        self.assertEqual(self.mine(client), 200)

    def test_with_redis_down_sessions_live_in_the_database_alone(self):
        down = {
            **settings.CACHES,
            "sessions": {
                "BACKEND": "common.cache.TolerantRedisStore",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            },
        }
        with override_settings(
            CACHES=down,
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
            SESSION_CACHE_ALIAS="sessions",
        ):
            self.assertIsNone(caches["sessions"].get("anything"))  # a miss, not an error
            client = self.login()
            self.assertEqual(self.mine(client), 200)
            client.post(reverse("logout"))
            self.assertEqual(self.mine(client), 302)

    def test_logout_ends_the_session_for_a_second_client_with_the_same_cookie(self):
        client = self.login()
        twin = Client()
        twin.cookies = client.cookies.__class__(client.cookies)
        self.assertEqual(self.mine(twin), 200)
        client.post(reverse("logout"))
        self.assertEqual(self.mine(twin), 302)
        self.assertFalse(Session.objects.filter(session_key=twin.cookies["sessionid"].value))

    def test_a_password_change_ends_the_other_sessions(self):
        here, elsewhere = self.login(), self.login()
        response = here.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "another-horse-77",
                "new_password2": "another-horse-77",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.mine(here), 200)
        self.assertEqual(self.mine(elsewhere), 302)


class LanguageTests(BaseTestCase):
    def test_an_english_browser_still_gets_djangos_messages_in_chinese(self):
        response = self.client.post(
            reverse("login"), {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en-US,en"
        )
        self.assertContains(response, "这个字段是必填项。")
        self.assertNotContains(response, "This field is required.")
