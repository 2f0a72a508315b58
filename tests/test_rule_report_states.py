"""What each report state allows (ProgressReport.State's sets), and the page asking the same rule
as the action: a button is shown exactly when pressing it would succeed."""

from django.core.exceptions import PermissionDenied
from django.test import override_settings

from tasks import reporting
from tasks.models import ProgressReport

from .test_rule_access import RulePlan

State = ProgressReport.State
ALL = set(State.values)


def test_every_set_holds_state_values_only():
    for name in ("COUNTED", "SHARED", "EDITABLE", "APPROVABLE", "ACCEPTABLE"):
        assert getattr(State, name) <= ALL, name
    assert State.RETURNABLE_BY_OFFICE <= ALL


def test_the_sets_are_not_members_of_the_state_type():
    assert [s.value for s in State] == ["draft", "submitted", "approved", "accepted", "returned"]


def test_what_counts_is_what_was_handed_in_and_not_sent_back():
    assert State.COUNTED == {"submitted", "approved", "accepted"}
    assert State.SHARED == State.COUNTED | {"returned"} == ALL - {"draft"}


def test_a_unit_edits_exactly_the_reports_that_do_not_count_yet():
    assert State.EDITABLE == ALL - State.COUNTED == {"draft", "returned"}


def test_what_waits_for_a_decision_counts_already():
    assert State.APPROVABLE <= State.ACCEPTABLE <= State.COUNTED
    assert State.RETURNABLE_BY_OFFICE == State.COUNTED


class DecisionsAgreeWithTheirPredicatesTests(RulePlan):
    """For every state and person: may_* says yes exactly when the action goes through."""

    def report_in(self, state):
        report, _ = ProgressReport.objects.update_or_create(
            task=self.t1,
            department=self.a,
            period_key="2022-W20",
            defaults={
                "role": "lead",
                "period_start": "2022-05-16",
                "period_end": "2022-05-22",
                "state": state,
                "progress": "进展",
                "created_by": self.staff_a,
                "updated_by": self.staff_a,
            },
        )
        return report

    def goes_through(self, action, user, report) -> bool:
        try:
            if action == "return":
                reporting.return_report(report, user, "请补充")
            else:
                getattr(reporting, action)(report, user)
        except (PermissionDenied, reporting.ReportError):
            return False
        return True

    def test_approve_accept_and_return(self):
        predicates = {
            "approve": reporting.may_approve,
            "accept": reporting.may_accept,
            "return": reporting.may_return,
        }
        for state in State.values:
            for user in (self.staff_a, self.head_a, self.office, self.admin, self.leader):
                for action, may in predicates.items():
                    report = self.report_in(state)
                    user = self.fresh(user)
                    with self.subTest(state=state, user=user.username, action=action):
                        expected = may(user, report)
                        self.assertEqual(self.goes_through(action, user, report), expected)

    def test_the_head_approves_and_the_office_accepts_without_a_heads_approval(self):
        head, office = self.fresh(self.head_a), self.fresh(self.office)
        report = self.report_in(State.SUBMITTED)
        self.assertTrue(reporting.may_approve(head, report))
        self.assertFalse(reporting.may_accept(head, report))
        self.assertTrue(reporting.may_accept(office, report))
        self.assertFalse(reporting.may_approve(office, report))
        accepted = reporting.accept(report, office)
        self.assertEqual(accepted.state, State.ACCEPTED)
        self.assertEqual(list(accepted.events.values_list("action", flat=True)), ["accepted"])
        self.assertFalse(reporting.may_return(head, accepted))
        self.assertTrue(reporting.may_return(office, accepted))


@override_settings(AS_OF_DATE="2022-05-18")
class ReportFormSaysReturnedOnlyWhenItWasTests(RulePlan):
    url = "/tasks/2022/1/report/?period=2022-W20"

    def test_a_new_report_is_not_called_returned(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "已被退回")

    def test_a_returned_report_shows_its_reason(self):
        ProgressReport.objects.create(
            task=self.t1,
            department=self.a,
            role="lead",
            period_key="2022-W20",
            period_start="2022-05-16",
            period_end="2022-05-22",
            state=State.RETURNED,
            return_reason="请补充佐证材料",
            created_by=self.staff_a,
            updated_by=self.staff_a,
        )
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(self.url), "已被退回：请补充佐证材料")
