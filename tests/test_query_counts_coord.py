"""Query counts of the 需协调事项 pages: exact, and the same at 1x and 10x the items."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaders.models import CoordinationItem

from .base import BaseTestCase
from .coordination_objects import Kind, item


@override_settings(AS_OF_DATE="2022-05-18")
class CoordinationQueryCountTests(BaseTestCase):
    def grow(self, n: int):
        for i in range(n):
            item(
                self,
                self.task["15"],
                self.drc,
                leaders=[self.zhangya, self.meiyongjie],
                text=f"问题{i}",
            )
            item(
                self,
                self.task["1"],
                self.drc,
                kind=Kind.DEPARTMENT,
                units=[self.town],
                text=f"部门{i}",
            )

    def count(self, user, url, data=None) -> int:
        self.client.force_login(user)
        self.client.get(url, data)  # warm: the session's first renewal is not counted
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, data)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_the_office_list_filtered_or_not(self):
        # 1 (user with profile, leader and unread notices; the session is read from Redis);
        # unit choices of the
        # filter; count; one page of items (with task, plan, unit); their leaders; their
        # units = 6, filtered or not, at 1x and 10x the items
        url = reverse("leaders:coordination_list")
        for query in ({}, {"state": "active", "kind": "leader", "overdue": "no", "q": "问题"}):
            with self.subTest(**query):
                self.grow(2)
                small = self.count(self.office, url, query)
                self.grow(18)
                big = self.count(self.office, url, query)
                self.assertEqual((small, big), (6, 6))

    def test_the_xlsx_export_of_the_list(self):
        # 2; every item (with task, plan, unit); their leaders; their units = 5 (the filter
        # form, with its unit choices, is not drawn)
        url = reverse("leaders:coordination_list")
        self.grow(2)
        small = self.count(self.office, url, {"_export": "xlsx"})
        self.grow(18)
        big = self.count(self.office, url, {"_export": "xlsx"})
        self.assertEqual((small, big), (5, 5))

    def test_an_item_page_for_the_unit_that_raised_it_and_for_the_leader(self):
        # 1; the item (with task, plan, unit, report, closer); its published 批示 (with
        # leaders); its leaders; its units; its trail (with actors); may the viewer act:
        # for the raising unit is it named (1) = 7; for the leader is he named (1) = 7
        self.grow(1)
        target = CoordinationItem.objects.filter(kind=Kind.LEADER).first()
        url = target.get_absolute_url()
        self.assertEqual(self.count(self.staff, url), 7)
        self.assertEqual(self.count(self.leader, url), 7)
