"""The permission matrix of the deadline extension pages: every role × each view × an object
inside and outside the scope (same cells as tests/test_permissions.py: 302 for anonymous
visitors is the login page, out of scope is 404, not one's role or step is 403).

Rows run in order, each for every role in turn, and a state-changing row really changes the
object: after the head approves, the later roles meet the application at the office's step.
"""

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from tasks.models import ExtensionApplication

from .base import BaseTestCase
from .matrix import failures, row, url_names

# The URL names this file covers (tests/test_permissions.py checks every name is covered).
URL_NAMES = {
    "tasks:extensions",
    "tasks:extension",
    "tasks:extension_apply",
    "tasks:extension_decide",
}


def application(task, unit, user, state):
    return ExtensionApplication.objects.create(
        task=task,
        unit=unit,
        applicant=user,
        applied_at=timezone.now(),
        reason="资金未到位",
        original_date=datetime.date(2022, 12, 31),
        requested_date=datetime.date(2023, 3, 31),
        year_note="跨年项目",
        state=state,
    )


@override_settings(AS_OF_DATE="2022-05-18")
class ExtensionPermissionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Task 1: 区发展和改革局 leads (staff, head), the towns cooperate, 张娅 leads it.
        cls.inside = application(cls.task["1"], cls.drc, cls.staff, "pending_unit")
        # Task 125: 区总工会 leads, the towns cooperate, outside 区发展和改革局 and 张娅.
        union = Department.objects.get(name="区总工会")
        cls.outside = application(cls.task["125"], union, cls.staff, "pending_office")

    def matrix(self):
        inside, outside = self.inside.pk, self.outside.pk
        decide = "tasks:extension_decide"
        return [
            # (label, method, url, data)                   anon nob  staf head town lead offi admi
            (
                "list",
                "get",
                reverse("tasks:extensions"),
                {},
                row(302, 403, 200, 200, 200, 200, 200, 200),
            ),
            (
                "list as xlsx",
                "get",
                reverse("tasks:extensions"),
                {"_export": "xlsx"},
                row(302, 403, 200, 200, 200, 200, 200, 200),
            ),
            (
                "apply form, task 1 (drc leads, towns cooperate)",
                "get",
                reverse("tasks:extension_apply", args=["2022", "1"]),
                {},
                row(302, 404, 200, 200, 403, 403, 403, 403),
            ),
            (
                "apply form, task 125 (not drc's)",
                "get",
                reverse("tasks:extension_apply", args=["2022", "125"]),
                {},
                row(302, 404, 404, 404, 403, 403, 403, 403),
            ),
            # Without a date: refused with the reason (400), nothing written.
            (
                "apply without a date, task 1",
                "post",
                reverse("tasks:extension_apply", args=["2022", "1"]),
                {"reason": "x"},
                row(302, 404, 400, 400, 403, 403, 403, 403),
            ),
            (
                "apply, task 125",
                "post",
                reverse("tasks:extension_apply", args=["2022", "125"]),
                {"requested_date": "2022-09-30", "reason": "x"},
                row(302, 404, 404, 404, 403, 403, 403, 403),
            ),
            (
                "application on task 1",
                "get",
                reverse("tasks:extension", args=[inside]),
                {},
                row(302, 404, 200, 200, 200, 200, 200, 200),
            ),
            (
                "application on task 125",
                "get",
                reverse("tasks:extension", args=[outside]),
                {},
                row(302, 404, 404, 404, 200, 200, 200, 200),
            ),
            (
                "no such application",
                "get",
                reverse("tasks:extension", args=[999999]),
                {},
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            # The head approves (302); then it waits for the office, so the leader is not at
            # its step (403) and the office's form of the unit's step is stale (400).
            (
                "approve at the unit's step, task 1",
                "post",
                reverse(decide, args=[inside, "approve"]),
                {"step": "pending_unit"},
                row(302, 404, 403, 302, 403, 403, 400, 400),
            ),
            # At the office's step: only the office decides; a refusal without a reason is 400.
            (
                "refuse without a reason, task 125",
                "post",
                reverse(decide, args=[outside, "refuse"]),
                {"step": "pending_office", "note": ""},
                row(302, 404, 404, 404, 403, 403, 400, 400),
            ),
            (
                "decide by GET",
                "get",
                reverse(decide, args=[outside, "approve"]),
                {},
                row(302, 405, 405, 405, 405, 405, 405, 405),
            ),
            (
                "unknown decision",
                "post",
                reverse(decide, args=[outside, "maybe"]),
                {"step": "pending_office"},
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
            (
                "decide a forged id",
                "post",
                reverse(decide, args=[999999, "approve"]),
                {"step": "pending_office"},
                row(302, 404, 404, 404, 404, 404, 404, 404),
            ),
        ]

    def test_every_role_gets_exactly_the_expected_status_on_every_extension_view(self):
        def send(cell):
            _, method, url, data, _ = cell
            return getattr(self.client, method)(url, data)

        self.assertEqual(failures(self, self.matrix(), send, rows_first=True), [])
        self.inside.refresh_from_db()
        self.outside.refresh_from_db()
        self.assertEqual(self.inside.state, "pending_office")  # the head's approval, once
        self.assertEqual(self.outside.state, "pending_office")
        self.assertEqual(ExtensionApplication.objects.count(), 2)  # no application written

    def test_the_matrix_names_every_extension_url(self):
        self.assertEqual(url_names(self.matrix()), URL_NAMES)
