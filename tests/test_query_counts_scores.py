"""单位考核 and 督办单 pages run a fixed number of queries, at the 2022 size and at 10× it
(the pattern of tests/test_query_counts.py)."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import EscalationNotice
from tasks import clock
from tasks.models import Plan, ProgressReport, Task
from tasks.periods import parse_period_key

from .base import BaseTestCase
from .synthetic import build_plan
from .test_query_counts import W20


def notices_for(plan, count):
    EscalationNotice.objects.bulk_create(
        EscalationNotice(
            plan=plan, task=task, color="yellow", state="issued", number=n, period_key=W20,
            facts="连续3期滞后", proposed_at=clock.now(),
        )
        for n, task in enumerate(plan.tasks.filter(unit_links__department__name="区发展和改革局",
                                                   unit_links__role="lead")[:count], start=1)
    )  # fmt: skip


@override_settings(AS_OF_DATE="2022-05-18")
class ScoreQueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.real = Plan.objects.get(year=2022)
        period = parse_period_key(W20)
        ProgressReport.objects.bulk_create(
            ProgressReport(
                task=t, department=cls.drc, role="lead", period_key=W20, period_start=period.start,
                period_end=period.end, state="accepted", percent=30, created_by=cls.staff,
                updated_by=cls.staff,
            )
            for t in Task.objects.filter(plan=cls.real, unit_links__department=cls.drc,
                                         unit_links__role="lead")
        )  # fmt: skip
        cls.real.is_active = False
        cls.real.save()
        cls.big = build_plan(
            slug="big", year=2022, tasks=1460, reports_for=cls.drc, period_key=W20, author=cls.staff
        )
        ProgressReport.objects.filter(task__plan=cls.big).update(state="accepted")
        notices_for(cls.real, 5)
        notices_for(cls.big, 50)

    def count(self, user, url, params=None) -> int:
        self.login_renewed(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        self.last = [q["sql"] for q in queries]
        return len(queries)

    def assert_fixed(self, expected: int, user, url, params_for):
        small = self.count(user, url, params_for(self.real))
        first = self.last
        big = self.count(user, url, params_for(self.big))
        self.assertEqual(
            (small, big),
            (expected, expected),
            "\n".join(q[:100] for q in first) + "\n----\n" + "\n".join(q[:100] for q in self.last),
        )

    def test_ranking_for_the_office(self):
        # 1 (user with unread; the session is read from Redis) + plan; published flag; revision; duties (2); owed reports
        # handed in on time; task states (4, with the node plans); returns; closed tasks; the
        # judged periods' counted reports for 进展停滞 (tasks.stale: W20's are not judged yet on
        # 05-18, so no earlier reports are read); approved extensions; overdue 需协调事项;
        # departments; plans of the picker = 18
        self.assert_fixed(18, self.office, reverse("reports:scores"),
                          lambda p: {"plan": p.slug, "period": "2022-05"})  # fmt: skip

    def test_ranking_for_the_year(self):
        self.assert_fixed(18, self.office, reverse("reports:scores"),
                          lambda p: {"plan": p.slug, "period": "2022"})  # fmt: skip

    def test_own_score_for_a_unit(self):
        # The same queries: the unit's score is read off the whole ranking.
        self.assert_fixed(18, self.staff, reverse("reports:scores"),
                          lambda p: {"plan": p.slug, "period": "2022-05"})  # fmt: skip

    def test_notice_list(self):
        # 1 + the notices with plan and task; their tasks' lead units = 3, for 5 notices or 50
        self.assert_fixed(3, self.office, reverse("reports:escalations"), lambda p: {})

    def test_notice_list_for_a_unit(self):
        # 1 + the unit's notices (scope in the same query); their lead units = 3
        self.assert_fixed(3, self.staff, reverse("reports:escalations"), lambda p: {})

    def test_notice_page(self):
        # 1 + the notice with plan and task; its trail; may the unit reply (its links) = 4
        for plan in (self.real, self.big):
            item = EscalationNotice.objects.filter(plan=plan).first()
            with self.subTest(plan=plan.slug):
                self.assertEqual(
                    self.count(self.staff, reverse("reports:escalation", args=[item.pk])), 4,
                    "\n".join(q[:150] for q in self.last),
                )  # fmt: skip

    def test_task_count_is_ten_times(self):
        self.assertEqual(Task.objects.filter(plan=self.big).count(), 1460)
