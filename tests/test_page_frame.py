"""What every page's frame (templates/base.html, the context processors) shows, kept right by
its fast paths: the menu's links under any script prefix, the 待审核 count, the unread count."""

import datetime
import re

from django.db import connection
from django.db.models import Q
from django.shortcuts import render
from django.templatetags.static import static
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, set_script_prefix
from django.utils import timezone

from departments.models import UnitGroup
from notifications.models import Notification
from tasks.access import involving_unit
from tasks.context_processors import pending_count
from tasks.head_review import head_queue
from tasks.models import Task, TaskUnit

from .base import BaseTestCase
from .synthetic import lead_report


def read_all_then_render(request):
    """A view that marks the viewer's notifications read, then renders a page in the same
    request (the notification centre's own views redirect instead)."""
    Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return render(request, "base.html")


urlpatterns = [
    path("__read_all_then_render__", read_all_then_render),
    path("", include("config.urls")),
]


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

    def test_a_fixed_url_can_be_named_for_later_as_the_url_tag_allows(self):
        from django.template import Context, Template

        html = Template(
            "{% load fixed_urls %}[{% fixed_url 'tasks:list' as link %}]{{ link }}"
        ).render(Context())
        self.assertEqual(html, "[]/tasks/")

    def test_the_static_files_are_linked_as_the_static_tag_links_them(self):
        html = self.client.get("/login/").content.decode()
        for name in ("favicon.svg", "css/app.css", "js/app.js"):
            self.assertIn(f'"{static(name)}"', html)


@override_settings(AS_OF_DATE="2022-05-18")
class ReviewCountTests(BaseTestCase):
    """The menu's 待审核 count (kept: tasks.context_processors.pending_count) is head_queue's
    count in every case that rule tells apart, after each change."""

    def report(self, task, state="submitted", unit=None, period="2022-W20"):
        report = lead_report(task, unit or self.drc, period, self.staff, state=state)
        report.save()
        return report

    def assertCounts(self, expected: int):
        self.assertEqual(head_queue(self.head).count(), expected)
        self.assertEqual(pending_count(self.head), expected)

    def test_the_menu_count_is_the_head_queues(self):
        involved = involving_unit(Task.objects.filter(plan__year=2022), self.drc)
        outside = Task.objects.filter(plan__year=2022).exclude(pk__in=involved)
        first, second, closed, removed = involved.order_by("sort_order")[:4]
        via_group, elsewhere = outside.order_by("sort_order")[:2]
        self.assertCounts(0)
        self.report(first)
        self.report(second)
        self.assertCounts(2)
        self.report(first, "draft", period="2022-W19")
        self.report(second, "returned", period="2022-W19")
        self.report(first, "approved", period="2022-W18")
        self.report(first, unit=self.town, period="2022-W17")
        self.assertCounts(2)  # drafts, returned, approved and another unit's do not wait
        self.report(closed)
        self.assertCounts(3)
        closed.closed_on = datetime.date(2022, 5, 18)
        closed.save(update_fields=["closed_on"])  # as tasks.closure closes it
        self.assertCounts(2)  # a closed task's leave the queue
        self.report(removed)
        self.assertCounts(3)
        TaskUnit.objects.filter(task=removed).filter(
            Q(department=self.drc) | Q(group__members=self.drc)
        ).delete()
        self.assertCounts(2)  # the unit no longer reads the task
        self.report(elsewhere)
        self.report(via_group)
        self.assertCounts(2)
        group = UnitGroup.objects.create(name="测试群组")
        group.members.add(self.drc)
        TaskUnit.objects.create(
            task=via_group, role="cooperating", position=9, group=group, written_name="测试群组"
        )
        self.assertCounts(3)  # involved through a group it belongs to
        self.assertEqual(pending_count(self.staff), 0)
        self.assertEqual(pending_count(self.office), 0)


@override_settings(AS_OF_DATE="2022-05-18", ROOT_URLCONF="tests.test_page_frame")
class UnreadCountTests(BaseTestCase):
    BADGE = '<a href="/notifications/">通知<span class="badge">2</span></a>'
    NONE = '<a href="/notifications/">通知</a>'

    def setUp(self):
        for title in ("一", "二"):
            Notification.objects.create(user=self.staff, title=title)
        Notification.objects.create(user=self.office, title="别人的")
        self.login_renewed(self.staff)

    def test_a_get_shows_the_count_loaded_with_the_user_without_a_query_of_its_own(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertContains(self.client.get("/tasks/"), self.BADGE)
        counting = [q["sql"] for q in queries if "reports_notification" in q["sql"]]
        self.assertEqual(len(counting), 1)
        self.assertIn('FROM "auth_user"', counting[0])  # the user's own query
        Notification.objects.filter(user=self.staff).update(read_at=timezone.now())
        self.assertContains(self.client.get("/tasks/"), self.NONE)

    def test_a_post_that_changes_the_count_then_renders_shows_the_new_count(self):
        self.assertContains(self.client.get("/tasks/"), self.BADGE)
        self.assertContains(self.client.post("/__read_all_then_render__"), self.NONE)
        self.assertEqual(Notification.objects.filter(read_at=None).count(), 1)  # the office's
