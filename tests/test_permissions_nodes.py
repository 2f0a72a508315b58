"""The permission matrix of the node plan views (tasks.node_views): every role × a task in
and out of scope, the lead unit's and the cooperating unit's, and the office's decision."""

from django.test import override_settings
from django.urls import reverse

from tasks.models import NodeProposal, Task

from .base import BaseTestCase
from .matrix import failures, row

# The URL names whose rows are here (tests/test_permissions.py checks every URL is covered).
URL_NAMES = {"tasks:nodes", "tasks:node_decide"}


@override_settings(AS_OF_DATE="2022-05-18")
class NodePermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = cls.task["15"].plan
        # Task 10: 区发展和改革局 and the towns cooperate, lead nothing (in scope, may not propose).
        cls.cooperated = Task.objects.get(plan=plan, number="10")
        cls.proposal = NodeProposal.objects.create(
            task=cls.task["15"],
            proposed_by=cls.staff,
            nodes=[{"due": "2022-12-31", "description": "竣工", "expected_percent": "100"}],
        )

    def nodes_url(self, task):
        return reverse("tasks:nodes", args=[task.plan.slug, task.number])

    def matrix(self):
        t = self.task
        decide = lambda action: reverse("tasks:node_decide", args=[self.proposal.pk, action])  # noqa: E731
        return [
            # (label, method, url)                                anon nob  staf head town lead offi admi
            ("node form, task 15 (drc leads)", "get", self.nodes_url(t["15"]), row(302, 404, 200, 200, 404, 403, 200, 200)),
            ("node form, task 1 (towns cooperate)", "get", self.nodes_url(t["1"]), row(302, 404, 200, 200, 403, 403, 200, 200)),
            ("node form, task 10 (drc cooperates)", "get", self.nodes_url(self.cooperated), row(302, 404, 403, 403, 403, 403, 200, 200)),
            ("node form, no such task", "get", self.nodes_url(Task(plan=t["15"].plan, number="99999")), row(302, 404, 404, 404, 404, 404, 404, 404)),
            # The matrix posts no management form: a clear 400, nothing written.
            ("save nodes without the form", "post", self.nodes_url(t["15"]), row(302, 404, 400, 400, 404, 403, 400, 400)),
            ("save nodes, task 10", "post", self.nodes_url(self.cooperated), row(302, 404, 403, 403, 403, 403, 400, 400)),
            # Refused without a reason: the message, back to the form; the proposal stays pending.
            ("refuse a proposal without a reason", "post", decide("refuse"), row(302, 404, 403, 403, 404, 403, 302, 302)),
            ("unknown decision", "post", decide("maybe"), row(302, 404, 403, 403, 404, 403, 404, 404)),
            ("decide a proposal that does not exist", "post", reverse("tasks:node_decide", args=[999999, "approve"]), row(302, 404, 404, 404, 404, 404, 404, 404)),
            ("decide by GET", "get", decide("approve"), row(302, 405, 405, 405, 405, 405, 405, 405)),
        ]  # fmt: skip

    def test_every_role_gets_exactly_the_expected_status_on_every_node_view(self):
        def send(cell):
            _, method, url, _ = cell
            return getattr(self.client, method)(url, {"reason": ""})

        self.assertEqual(failures(self, self.matrix(), send), [])
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, NodeProposal.State.PENDING)
        self.assertFalse(self.task["15"].nodes.exists())
