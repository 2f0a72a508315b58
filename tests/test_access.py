"""tasks.access.reports_visible_to: the one rule for reading reports and their files."""

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from tasks.access import attachments_visible_to, can_read_report, reports_visible_to
from tasks.models import Attachment, ProgressReport

from .base import BaseTestCase

STATES = [s.value for s in ProgressReport.State]


class ReportRuleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reports = {}
        # 区发展和改革局 on task 1 (every unit reads it) and 堂邑镇 on task 125 (towns only).
        for unit, number in ((cls.drc, "1"), (cls.town, "125")):
            for week, state in enumerate(STATES, start=10):
                report = ProgressReport.objects.create(
                    task=cls.task[number],
                    department=unit,
                    role="lead" if number == "1" else "cooperating",
                    period_key=f"2022-W{week}",
                    period_start="2022-03-07",
                    period_end="2022-03-13",
                    state=state,
                    created_by=cls.staff,
                    updated_by=cls.staff,
                )
                file = Attachment(
                    report=report,
                    original_name="a.png",
                    size=3,
                    content_type="image/png",
                    uploaded_by=cls.staff,
                )
                file.file.save("a.png", ContentFile(b"png"), save=True)
                cls.reports[unit.name, state] = report

    def readable(self, user) -> set:
        ids = set(reports_visible_to(user).values_list("pk", flat=True))
        return {key for key, report in self.reports.items() if report.pk in ids}

    def test_the_shared_states_are_every_state_but_the_draft(self):
        self.assertEqual(set(STATES) - ProgressReport.State.SHARED, {"draft"})

    def test_a_unit_reads_its_own_drafts_and_what_others_handed_in_on_its_tasks(self):
        handed_in = {("区发展和改革局", s) for s in STATES if s != "draft"}
        own_drc = {("区发展和改革局", s) for s in STATES}
        own_town = {("堂邑镇", s) for s in STATES}
        for user in (self.staff, self.head):
            self.assertEqual(self.readable(user), own_drc, user.username)  # task 125: not theirs
        self.assertEqual(self.readable(self.town_staff), own_town | handed_in)

    def test_the_office_admin_and_leaders_read_no_draft_but_every_report_handed_in(self):
        expected = {key for key in self.reports if key[1] != "draft"}
        for user in (self.office, self.admin, self.leader):
            self.assertEqual(self.readable(user), expected, user.username)

    def test_anonymous_and_people_without_a_role_read_nothing(self):
        self.assertEqual(self.readable(AnonymousUser()), set())
        self.assertEqual(self.readable(self.nobody), set())

    def test_one_report_and_its_files_follow_the_same_rule(self):
        for user in (self.staff, self.town_staff, self.office, self.leader, self.nobody):
            readable = self.readable(user)
            files = set(attachments_visible_to(user).values_list("report_id", flat=True))
            for key, report in self.reports.items():
                self.assertEqual(can_read_report(user, report), key in readable, (user, key))
                self.assertEqual(report.pk in files, key in readable, (user, key))

    def test_the_rule_narrows_a_given_query_and_runs_none_of_its_own(self):
        self.town_staff.__dict__.pop("_person", None)
        reports_visible_to(self.town_staff)  # reads the person once (then cached on the user)
        base = ProgressReport.objects.filter(state="draft")
        with self.assertNumQueries(0):
            narrowed = reports_visible_to(self.town_staff, base)
        with self.assertNumQueries(1):  # the reports, scope and state in one statement
            names = {r.department.name for r in narrowed.select_related("department")}
        self.assertEqual(names, {"堂邑镇"})
