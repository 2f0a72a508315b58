"""The permission matrix of 需协调事项: every role × the list, an item in and out of scope,
an item that names a unit outside the task, and each step (tests.test_permissions covers the
URL names listed here through URL_NAMES)."""

from django.test import override_settings
from django.urls import reverse

from leaders.models import CoordinationItem

from .base import BaseTestCase
from .coordination_objects import Kind, State, item
from .matrix import failures, row

URL_NAMES = {
    "leaders:coordination_list",
    "leaders:coordination_detail",
    "leaders:coordination_action",
}


@override_settings(AS_OF_DATE="2022-05-18")
class CoordinationPermissionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        t = cls.task
        # 区发改局 asks 张娅 on task 15 (towns do not read task 15).
        cls.leader_item = item(cls, t["15"], cls.drc, leaders=[cls.zhangya])
        # 区发改局 asks 堂邑镇 on task 15: the town is named, so it reads this one.
        cls.town_item = item(cls, t["15"], cls.drc, kind=Kind.DEPARTMENT, units=[cls.town])
        # 堂邑镇 asks its leader on task 125 (区发改局 does not read task 125).
        cls.other_item = item(cls, t["125"], cls.town, leaders=[cls.meiyongjie])

    def act(self, target, action):
        return reverse("leaders:coordination_action", args=[target.pk, action])

    def matrix(self):
        detail = "leaders:coordination_detail"
        note = {"note": "已协调解决", "state": "resolved"}
        return [
            # (label, method, url, data, state before)          anon nob  staf head town lead offi admi
            ("list", "get", reverse("leaders:coordination_list"), {}, None,
             row(302, 403, 403, 403, 403, 403, 200, 200)),
            ("list xlsx", "get", reverse("leaders:coordination_list") + "?_export=xlsx", {}, None,
             row(302, 403, 403, 403, 403, 403, 200, 200)),
            ("item of drc on 15", "get", reverse(detail, args=[self.leader_item.pk]), {}, None,
             row(302, 404, 200, 200, 404, 200, 200, 200)),
            ("item naming the town", "get", reverse(detail, args=[self.town_item.pk]), {}, None,
             row(302, 404, 200, 200, 200, 200, 200, 200)),
            ("item of the town on 125", "get", reverse(detail, args=[self.other_item.pk]), {}, None,
             row(302, 404, 404, 404, 200, 200, 200, 200)),
            # Replies: the named units and the office (leaders answer with a 批示).
            ("reply (leader item)", "post", self.act(self.leader_item, "reply"), note, State.OPEN,
             row(302, 404, 403, 403, 404, 403, 302, 302)),
            ("reply (town named)", "post", self.act(self.town_item, "reply"), note, State.OPEN,
             row(302, 404, 403, 403, 302, 403, 302, 302)),
            # Closing and reopening: the raising unit and the office.
            ("close", "post", self.act(self.leader_item, "close"), note, State.OPEN,
             row(302, 404, 302, 302, 404, 403, 302, 302)),
            ("close (town named)", "post", self.act(self.town_item, "close"), note, State.OPEN,
             row(302, 404, 302, 302, 403, 403, 302, 302)),
            ("reopen", "post", self.act(self.leader_item, "reopen"), note, State.RESOLVED,
             row(302, 404, 302, 302, 404, 403, 302, 302)),
            ("close out of scope", "post", self.act(self.other_item, "close"), note, State.OPEN,
             row(302, 404, 404, 404, 302, 403, 302, 302)),
            ("unknown step", "post", self.act(self.leader_item, "delete"), note, State.OPEN,
             row(302, 404, 404, 404, 404, 404, 404, 404)),
            ("a step by GET", "get", self.act(self.leader_item, "close"), {}, None,
             row(302, 405, 405, 405, 405, 405, 405, 405)),
        ]  # fmt: skip

    def test_every_role_gets_exactly_the_expected_status_on_every_coordination_view(self):
        def send(cell):
            _, method, url, data, before, _ = cell
            if before is not None:
                CoordinationItem.objects.update(state=before, note="")
            return getattr(self.client, method)(url, data)

        self.assertEqual(failures(self, self.matrix(), send), [])

    def test_the_portfolio_lists_open_items_only_to_the_leader_who_must_act(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("leaders:portfolio", args=[self.zhangya.pk]))
        self.assertContains(response, "待协调事项")
        self.assertContains(response, self.leader_item.get_absolute_url())
        self.assertNotContains(response, self.other_item.get_absolute_url())

    def test_my_tasks_lists_the_items_that_name_the_unit_or_that_it_raised(self):
        self.client.force_login(self.town_staff)
        response = self.client.get(reverse("tasks:mine"))
        self.assertContains(response, self.town_item.get_absolute_url())  # named: to act
        self.assertContains(response, self.other_item.get_absolute_url())  # raised by it
        self.assertNotContains(response, self.leader_item.get_absolute_url())
