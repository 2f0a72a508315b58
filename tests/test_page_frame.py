"""What every page's frame (templates/base.html, the context processors) shows, kept right by
its fast paths: the menu's links under any script prefix."""

import re

from django.test import override_settings
from django.urls import set_script_prefix

from .base import BaseTestCase


@override_settings(AS_OF_DATE="2022-05-18")
class MenuLinkTests(BaseTestCase):
    def menu(self) -> str:
        response = self.client.get("/tasks/")  # a path, not reversed: under any prefix
        self.assertEqual(response.status_code, 200)
        menu = response.content.decode().split('<nav class="mainnav">', 1)[1]
        return re.sub(r'value="[^"]+"', 'value=""', menu.split("</header>", 1)[0])

    def test_the_menu_links_follow_the_script_prefix_of_each_request(self):
        """{% fixed_url %} keeps a path per script prefix: a site served under /dudu/ (SCRIPT_NAME,
        which Django's handler sets for each request) links under it, and a request at / after
        it does not."""
        self.login_renewed(self.office)
        self.addCleanup(set_script_prefix, "/")
        plain = self.menu()
        self.assertIn('<a href="/tasks/">任务清单</a>', plain)
        self.assertIn('<a href="/accounts/password/">修改密码</a>', plain)
        set_script_prefix("/dudu/")
        prefixed = self.menu()
        self.assertIn('<a href="/dudu/tasks/">任务清单</a>', prefixed)
        self.assertIn('<a href="/dudu/accounts/password/">修改密码</a>', prefixed)
        self.assertIn('action="/dudu/logout/"', prefixed)
        self.assertEqual(prefixed.replace('"/dudu/', '"/'), plain)
        set_script_prefix("/")
        self.assertEqual(self.menu(), plain)
