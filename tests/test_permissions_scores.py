"""The permission matrix of 单位考核 and 督办单: every role × every view × a notice inside and
outside the person's scope (the pattern of tests/test_permissions.py; its coverage test reads
URL_NAMES from here).

A state-changing POST runs inside a savepoint rolled back after it, so every role meets the
same notice in the same state.
"""

from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from reports.models import EscalationNotice
from tasks import clock
from tasks.models import Task

from .base import BaseTestCase
from .matrix import ROLES, failures, row, url_names

URL_NAMES = {
    "reports:scores",
    "reports:scores_publish",
    "reports:escalations",
    "reports:escalation",
    "reports:escalation_confirm",
    "reports:escalation_dismiss",
    "reports:escalation_reply",
    "reports:escalation_resolve",
    "reports:escalation_document",
}


def notice(task, color, state, **extra):
    return EscalationNotice.objects.create(
        plan=task.plan, task=task, color=color, state=state, period_key="2022-W20",
        facts="连续3期滞后（第18周、第19周、第20周）", proposed_at=clock.now(), **extra,
    )  # fmt: skip


@override_settings(AS_OF_DATE="2022-05-18")
class ScoresPermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        t1, t15 = cls.task["1"], cls.task["15"]  # 区发展和改革局 leads both, 张娅 in charge
        other = Task.objects.get(plan=t1.plan, number="17")  # neither the unit's nor 张娅's
        cls.issued = notice(t1, "yellow", "issued", number=1)
        cls.proposed = notice(t1, "red", "proposed")
        cls.replied = notice(t15, "yellow", "replied", number=2, measures="已整改")
        cls.other = notice(other, "yellow", "issued", number=3)

    def matrix(self):
        scores = reverse("reports:scores")
        slug = self.task["1"].plan.slug
        publish = {"plan": slug, "period": "2022-05", "action": "publish"}

        def url(name, item):
            return reverse(f"reports:{name}", args=[item.pk])

        # fmt: off
        return [
            # (label, method, url, data)                                anon nob staf head town lead offi admi
            ("ranking", "get", scores, {"plan": slug, "period": "2022-05"},
             row(302, 403, 200, 200, 200, 200, 200, 200)),
            ("ranking xlsx (unpublished)", "get", scores, {"plan": slug, "_export": "xlsx"},
             row(302, 403, 403, 403, 403, 200, 200, 200)),
            ("publish", "post", reverse("reports:scores_publish"), publish,
             row(302, 403, 403, 403, 403, 403, 302, 302)),
            ("notice list", "get", reverse("reports:escalations"), {},
             row(302, 403, 200, 200, 200, 200, 200, 200)),
            ("issued notice of the unit's task", "get", url("escalation", self.issued), {},
             row(302, 404, 200, 200, 404, 200, 200, 200)),
            ("proposed notice (office only)", "get", url("escalation", self.proposed), {},
             row(302, 404, 404, 404, 404, 404, 200, 200)),
            ("notice of another unit's task", "get", url("escalation", self.other), {},
             row(302, 404, 404, 404, 404, 404, 200, 200)),
            ("document", "get", url("escalation_document", self.issued), {},
             row(302, 404, 200, 200, 404, 200, 200, 200)),
            ("document of another unit's notice", "get", url("escalation_document", self.other), {},
             row(302, 404, 404, 404, 404, 404, 200, 200)),
            ("confirm a proposal", "post", url("escalation_confirm", self.proposed), {},
             row(302, 404, 404, 404, 404, 404, 302, 302)),
            ("confirm an issued notice", "post", url("escalation_confirm", self.issued), {},
             row(302, 404, 403, 403, 404, 403, 400, 400)),
            ("not issue a proposal", "post", url("escalation_dismiss", self.proposed), {"note": "已约谈"},
             row(302, 404, 404, 404, 404, 404, 302, 302)),
            ("reply to the unit's notice", "post", url("escalation_reply", self.issued), {"measures": "倒排工期"},
             row(302, 404, 302, 302, 404, 403, 403, 403)),
            ("reply to another unit's notice", "post", url("escalation_reply", self.other), {"measures": "x"},
             row(302, 404, 404, 404, 404, 404, 403, 403)),
            ("resolve a replied notice", "post", url("escalation_resolve", self.replied), {},
             row(302, 404, 403, 403, 404, 403, 302, 302)),
        ]
        # fmt: on

    def test_every_role_gets_exactly_the_expected_status_on_every_view(self):
        def send(cell):
            _, method, url, data, _ = cell
            saved = transaction.savepoint()
            response = getattr(self.client, method)(url, data)
            transaction.savepoint_rollback(saved)
            return response

        self.assertEqual(failures(self, self.matrix(), send), [])

    def test_the_matrix_covers_every_url_of_scores_and_escalations(self):
        self.assertEqual(url_names(self.matrix()), URL_NAMES)
        self.assertEqual(len(ROLES), 8)

    def test_a_unit_sees_only_the_notices_of_its_own_lead_tasks_in_the_list(self):
        self.client.force_login(self.staff)
        response = self.client.get(reverse("reports:escalations"))
        shown = {n.pk for n in response.context["notices"]}
        self.assertEqual(shown, {self.issued.pk, self.replied.pk})
