"""The permission matrix of the closure views (办结申请 / 销号): every role × in/out of scope.

Same pattern as tests/test_permissions.py; each cell runs in a savepoint rolled back after it,
so one role's successful step does not change what the next one finds.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tasks.models import ClosureApplication, ClosureEvidence, Task

from .base import BaseTestCase
from .matrix import failures, row, url_names

URL_NAMES = {
    "tasks:closure_list",
    "tasks:closure_apply",
    "tasks:closure_approve",
    "tasks:closure_return",
    "tasks:closure_reopen",
    "tasks:closure_file",
}


@override_settings(AS_OF_DATE="2022-05-18", CLOSURE_LEADER_CONFIRM=False)
class ClosurePermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Task 15: led by 区发展和改革局 (not the towns'), lead leader 张娅; a pending application
        # with one evidence file. Task 44: drc leads, 堂邑镇 cooperates; closed.
        cls.pending = ClosureApplication.objects.create(
            task=cls.task["15"],
            department=cls.drc,
            applicant=cls.staff,
            summary="已完成",
            applied_at=timezone.now(),
        )
        cls.evidence = ClosureEvidence(
            application=cls.pending,
            original_name="验收.pdf",
            size=8,
            content_type="application/pdf",
            uploaded_by=cls.staff,
        )
        cls.evidence.file.save("验收.pdf", ContentFile(b"%PDF-1.4"), save=True)
        cls.closed = Task.objects.get(plan__year=2022, number="44")
        cls.closed.closed_on = datetime.date(2022, 5, 10)
        cls.closed.save()

    def matrix(self):
        pending = self.pending.pk
        return [
            # (label, method, url)                                anon nob  staf head town lead offi admi
            ("pending list", "get", reverse("tasks:closure_list"), row(302, 403, 403, 403, 403, 200, 200, 200)),
            ("apply, task 1 (drc leads, town cooperates)", "post", reverse("tasks:closure_apply", args=["2022", "1"]), row(302, 404, 302, 302, 403, 403, 403, 403)),
            ("apply, task 125 (drc not named)", "post", reverse("tasks:closure_apply", args=["2022", "125"]), row(302, 404, 404, 404, 403, 403, 403, 403)),
            ("apply again, task 15 (pending)", "post", reverse("tasks:closure_apply", args=["2022", "15"]), row(302, 404, 400, 400, 404, 403, 403, 403)),
            ("approve, task 15 (at the office)", "post", reverse("tasks:closure_approve", args=[pending]), row(302, 404, 403, 403, 404, 400, 302, 302)),
            ("return, task 15 (at the office)", "post", reverse("tasks:closure_return", args=[pending]), row(302, 404, 403, 403, 404, 400, 302, 302)),
            ("approve, forged id", "post", reverse("tasks:closure_approve", args=[987654]), row(302, 404, 404, 404, 404, 404, 404, 404)),
            ("reopen, task 44 (closed)", "post", reverse("tasks:closure_reopen", args=["2022", "44"]), row(302, 404, 403, 403, 403, 403, 302, 302)),
            ("reopen, task 1 (open)", "post", reverse("tasks:closure_reopen", args=["2022", "1"]), row(302, 404, 403, 403, 403, 403, 400, 400)),
            ("evidence of task 15", "get", reverse("tasks:closure_file", args=[self.evidence.pk]), row(302, 404, 200, 200, 404, 200, 200, 200)),
            ("report form, task 44 (closed)", "get", reverse("tasks:report", args=["2022", "44"]), row(302, 404, 403, 403, 403, 403, 403, 403)),
        ]  # fmt: skip

    def test_every_role_gets_exactly_the_expected_status_on_every_closure_view(self):
        def send(cell):
            _, method, url, _ = cell
            data = {"summary": "已完成", "reason": "理由"} if method == "post" else {}
            with transaction.atomic():
                response = getattr(self.client, method)(url, data)
                transaction.set_rollback(True)
            return response

        self.assertEqual(failures(self, self.matrix(), send), [])

    def test_the_matrix_covers_exactly_the_closure_url_names(self):
        self.assertEqual(url_names(self.matrix()) - {"tasks:report"}, URL_NAMES)
