"""The notification centre, the header's unread count, and the office's 催办 page."""

from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.context_processors import notifications
from notifications.models import Notification, Reminder
from notifications.reminders import notify, units_missing_reports
from tasks.models import Plan
from tasks.periods import parse_period_key

from .base import PASSWORD, BaseTestCase

W20 = parse_period_key("2022-W20")
ROLES = ["anon", "nobody", "staff", "head", "town", "leader", "office", "admin"]


class NotificationCentreTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old = notify([cls.staff], "other", "旧通知", "", "/tasks/mine/")[0]
        cls.old.read_at = cls.old.created_at
        cls.old.save()
        cls.first, cls.second = (
            notify([cls.staff], "reminder", f"催办{i}", "请尽快报送", "/tasks/mine/?plan=2022")[0]
            for i in (1, 2)
        )
        cls.others = notify([cls.head], "returned", "报告被退回", "", "/tasks/")[0]

    def setUp(self):
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)

    def test_the_list_shows_my_notifications_unread_first(self):
        response = self.client.get(reverse("notify:list"))
        self.assertEqual(response.status_code, 200)
        shown = [n.title for n in response.context["page"].object_list]
        self.assertEqual(shown, ["催办2", "催办1", "旧通知"])
        self.assertNotContains(response, "报告被退回")
        self.assertContains(response, '<span class="badge">2</span>', count=2)  # header + title
        self.assertContains(response, "全部标为已读")

    def test_the_list_is_paginated(self):
        for i in range(36):
            notify([self.leader], "other", f"通知{i}")
        self.client.login(request=HttpRequest(), username="leader", password=PASSWORD)
        page = self.client.get(reverse("notify:list")).context["page"]
        self.assertEqual((len(page.object_list), page.paginator.num_pages), (30, 2))
        self.assertEqual(
            len(self.client.get(reverse("notify:list"), {"page": 2}).context["page"]), 6
        )

    def test_opening_a_notification_marks_it_read_and_follows_its_link(self):
        response = self.client.post(reverse("notify:read", args=[self.first.pk]))
        self.assertRedirects(response, "/tasks/mine/?plan=2022", fetch_redirect_response=False)
        self.first.refresh_from_db()
        self.assertIsNotNone(self.first.read_at)
        self.second.refresh_from_db()
        self.assertIsNone(self.second.read_at)
        stay = self.client.post(reverse("notify:read", args=[self.second.pk]), {"stay": "1"})
        self.assertRedirects(stay, reverse("notify:list"), fetch_redirect_response=False)

    def test_a_link_to_another_site_is_not_followed(self):
        evil = notify([self.staff], "other", "x", "", "https://evil.example/")[0]
        response = self.client.post(reverse("notify:read", args=[evil.pk]))
        self.assertRedirects(response, reverse("notify:list"), fetch_redirect_response=False)

    def test_another_users_notification_is_not_found(self):
        response = self.client.post(reverse("notify:read", args=[self.others.pk]))
        self.assertEqual(response.status_code, 404)
        self.others.refresh_from_db()
        self.assertIsNone(self.others.read_at)
        self.assertEqual(
            self.client.get(reverse("notify:read", args=[self.first.pk])).status_code, 405
        )

    def test_mark_all_read_touches_only_my_own(self):
        response = self.client.post(reverse("notify:read_all"))
        self.assertRedirects(response, reverse("notify:list"), fetch_redirect_response=False)
        self.assertFalse(Notification.objects.filter(user=self.staff, read_at=None).exists())
        self.others.refresh_from_db()
        self.assertIsNone(self.others.read_at)
        page = self.client.get(reverse("notify:list"))
        self.assertNotContains(page, 'class="badge"')

    def test_the_unread_count_costs_one_query_and_only_when_used(self):
        request = RequestFactory().get("/")
        request.user = self.staff
        with CaptureQueriesContext(connection) as queries:
            context = notifications(request)
        self.assertEqual(len(queries), 0)
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(context["unread_count"])
            self.assertEqual(str(context["unread_count"]), "2")
        self.assertEqual(len(queries), 1)

    def test_the_header_links_to_the_notifications(self):
        response = self.client.get(reverse("tasks:list"))
        self.assertContains(
            response, '<a href="/notifications/">通知<span class="badge">2</span></a>'
        )
        self.client.login(request=HttpRequest(), username="town", password=PASSWORD)
        response = self.client.get(reverse("tasks:list"))
        self.assertContains(response, '<a href="/notifications/">通知</a>')

    def test_anonymous_visitors_go_to_the_login_page(self):
        self.client.logout()
        for method, url in [
            ("get", reverse("notify:list")),
            ("post", reverse("notify:read", args=[self.first.pk])),
            ("post", reverse("notify:read_all")),
        ]:
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("login"), response["Location"])


@override_settings(AS_OF_DATE="2022-05-18")
class ReminderPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)
        cls.missing = units_missing_reports(cls.plan, W20)

    def send(self, **data):
        return self.client.post(reverse("notify:send_reminders"), data)

    def message_texts(self, response):
        return [str(m) for m in get_messages(response.wsgi_request)]

    def confirm(self, **data):
        """The confirmation page, then its form sent as it is."""
        page = self.send(**data)
        self.assertEqual(page.status_code, 200)
        self.assertTemplateUsed(page, "reports/reminder_confirm.html")
        return page, {**data, "confirm": "1", "seen": page.context["seen"]}

    def test_the_office_confirms_with_the_count_then_hears_who_was_reached(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        page = self.client.get(reverse("notify:reminders"))
        self.assertContains(page, "一键催办全部未报送单位")
        self.assertContains(page, "区发展和改革局")
        units = len(self.missing)
        page, form = self.confirm(plan=self.plan.pk, scope="all")
        self.assertFalse(Reminder.objects.exists())  # nothing is sent before the confirmation
        self.assertContains(page, f'将向 <strong data-units="{units}">{units}</strong> 个单位')
        # Accounts exist for the development bureau (staff + head) and the town (one person).
        self.assertEqual((page.context["reached"], page.context["people"]), (2, 3))
        self.assertEqual(len(page.context["unreached"]), units - 2)
        response = self.send(**form, note="请今日补报")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response["Location"].startswith(
                reverse("notify:reminder_result", args=[self.plan.pk, "2022-W20"]) + "?at="
            )
        )
        words = f"已通知 2 个单位（3 人），{units - 2} 个单位没有可接收通知的账号，请电话催办。"
        self.assertIn(words, self.message_texts(response))
        result = self.client.get(response["Location"])
        self.assertContains(result, f"本次催办：{words}")
        self.assertEqual(len(result.context["unreached"]), units - 2)
        self.assertEqual(Reminder.objects.filter(kind="manual", sent_by=self.office).count(), units)
        self.assertEqual(set(Reminder.objects.values_list("round", flat=True)), {1})
        # The same confirmation sent again (a double click, a resent form) sends nothing.
        again = self.send(**form)
        self.assertIn("这些单位刚刚已催办过，未重复发送。", self.message_texts(again))
        self.assertEqual(Reminder.objects.count(), units)
        self.assertEqual(
            set(Notification.objects.values_list("user__username", flat=True)),
            {"staff", "head", "town"},
        )
        self.assertIn("督查室留言：请今日补报", Notification.objects.first().body)

    def test_a_second_reminder_in_the_same_period_is_the_second_round_and_says_so(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        for _ in range(2):
            _page, form = self.confirm(plan=self.plan.pk, departments=[self.drc.pk])
            self.send(**form)
        page, form = self.confirm(plan=self.plan.pk, departments=[self.drc.pk])
        self.assertContains(page, "<strong>三催</strong>")
        self.send(**form)
        self.assertEqual(
            list(Reminder.objects.order_by("round").values_list("round", flat=True)), [1, 2, 3]
        )
        titles = set(Notification.objects.values_list("title", flat=True))
        self.assertIn("督查室二催：第20周（5月16日—5月22日）进展尚未报送", titles)
        self.assertIn("督查室三催：第20周（5月16日—5月22日）进展尚未报送", titles)
        self.assertIn(
            "这是本期第3次催办。",
            Notification.objects.filter(title__startswith="督查室三催").first().body,
        )

    def test_the_office_reminds_the_chosen_units_only(self):
        self.client.login(request=HttpRequest(), username="root", password=PASSWORD)
        _page, form = self.confirm(plan=self.plan.pk, departments=[self.drc.pk], scope="chosen")
        response = self.send(**form)
        self.assertIn("已通知 1 个单位（2 人）。", self.message_texts(response))
        self.assertEqual(list(Reminder.objects.values_list("department", flat=True)), [self.drc.pk])
        self.assertEqual(Reminder.objects.get().sent_by, self.admin)

    def test_choosing_no_unit_sends_nothing(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        response = self.send(plan=self.plan.pk, scope="chosen")
        self.assertIn("请至少选择一个单位。", self.message_texts(response))
        self.assertFalse(Reminder.objects.exists())

    def test_a_closed_period_is_not_chased(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        response = self.send(plan=self.plan.pk, period="2022-W10")
        self.assertIn("已关闭填报", self.message_texts(response)[0])
        self.assertFalse(Reminder.objects.exists())

    def test_the_log_shows_who_when_which_unit_and_filters(self):
        self.client.login(request=HttpRequest(), username="office", password=PASSWORD)
        self.send(**self.confirm(plan=self.plan.pk, departments=[self.drc.pk])[1])
        page = self.client.get(reverse("notify:reminders"))
        rows = list(page.context["table"].rows)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(
            [row.get_cell(c) for c in ("plan", "period_key", "department", "kind", "sent_by")],
            ["2022年", "第20周（5月16日—5月22日）", "区发展和改革局", "督查室催办", "office"],
        )
        self.assertEqual((row.get_cell("missing_tasks"), row.get_cell("recipients")), (26, 2))
        self.assertContains(page, "<td>已催办（再次催办即二催）</td>", html=False)
        for query, count in [
            ({"kind": "manual"}, 1),
            ({"kind": "after_due"}, 0),
            ({"period_key": "2022-W20"}, 1),
            ({"plan": self.plan.pk}, 1),
        ]:
            table = self.client.get(reverse("notify:reminders"), query).context["table"]
            self.assertEqual(len(table.rows), count, query)
        export = self.client.get(reverse("notify:reminders"), {"_export": "xlsx"})
        self.assertEqual(export.status_code, 200)

    def test_the_permission_matrix(self):
        note = notify([self.staff], "other", "x")[0]
        expected = {
            # view                                 anon nob  staf head town lead offi admi
            ("get", reverse("notify:list")): [302, 200, 200, 200, 200, 200, 200, 200],
            ("post", reverse("notify:read_all")): [302, 302, 302, 302, 302, 302, 302, 302],
            ("post", reverse("notify:read", args=[note.pk])): [
                302,
                404,
                302,
                404,
                404,
                404,
                404,
                404,
            ],
            ("get", reverse("notify:reminders")): [302, 403, 403, 403, 403, 403, 200, 200],
            # The office's first POST is the confirmation page (nothing sent yet).
            ("post", reverse("notify:send_reminders")): [302, 403, 403, 403, 403, 403, 200, 200],
        }
        users = {"nobody": "nobody", "staff": "staff", "head": "head", "town": "town",
                 "leader": "leader", "office": "office", "admin": "root"}  # fmt: skip
        for (method, url), statuses in expected.items():
            for role, status in zip(ROLES, statuses, strict=True):
                self.client.logout()
                if role != "anon":
                    self.client.login(
                        request=HttpRequest(), username=users[role], password=PASSWORD
                    )
                data = {"plan": self.plan.pk, "departments": [self.drc.pk]}
                response = getattr(self.client, method)(url, data if method == "post" else None)
                self.assertEqual(response.status_code, status, (method, url, role))
