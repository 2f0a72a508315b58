"""The leader portfolio's kept figure (leaders.portfolio) and its table from plain rows
(leaders.portfolio_table): the same markup as PortfolioTable, never older than the data, and
kept for every leader after a change."""

import datetime
import re

from django.db import connection
from django.http import HttpRequest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from departments.models import Department
from leaders import portfolio_table
from leaders.models import Leader
from leaders.portfolio import compute, leader_plans, portfolio
from leaders.tables import PortfolioTable
from tasks import reporting
from tasks.models import Plan, Task, TaskLeader
from tasks.periods import parse_period_key
from tasks.progress import plan_task_states
from tasks.tables import LEADERS, UNITS

from .base import PASSWORD, BaseTestCase, make_user
from .test_revision import RevisionTestCase
from .test_weekly_report import add_report

W20 = parse_period_key("2022-W20")
AS_OF = datetime.date(2022, 5, 18)


def normal(html: str) -> str:
    """Markup without the whitespace between tags (the library's template indents)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def rendered(table, request) -> str:
    template = Template("{% load django_tables2 %}{% render_table table %}")
    return normal(template.render(Context({"table": table, "request": request})))


@override_settings(AS_OF_DATE="2022-05-18")
class KeptPortfolioTests(BaseTestCase):
    def setUp(self):
        self.plan = Plan.objects.get(year=2022)

    def table(self, leader, request, per_page=100) -> PortfolioTable:
        """The table the page showed before (and the export still uses), over model instances."""
        tasks = list(
            Task.objects.filter(plan=self.plan, leader_links__leader=leader)
            .select_related("plan", "section")
            .prefetch_related(LEADERS, UNITS)
        )
        states = {t.pk: plan_task_states(self.plan, AS_OF)[t.pk] for t in tasks}
        tasks.sort(key=lambda t: (states[t.pk].status.severity, t.sort_order))
        table = PortfolioTable(tasks, leader=leader, states=states, as_of=AS_OF)
        RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        return table

    def test_the_table_from_kept_rows_is_the_tables_markup(self):
        add_report(Task.objects.get(plan=self.plan, number="7"), self.drc, self.staff)
        request = RequestFactory().get("/")
        for leader in Leader.objects.filter(name__in=["张娅", "梅永杰", "张妍"]):
            kept = portfolio(self.plan, leader, W20, AS_OF)
            whole = rendered(self.table(leader, request), request)
            table = re.search(r"<table .*</table>", whole).group(0)
            self.assertEqual(normal(portfolio_table.table_html(kept, self.plan.year)), table)

    def test_a_portfolio_longer_than_a_page_is_paged_over_the_kept_rows_the_same(self):
        request = RequestFactory().get("/", {"page": "2"})
        kept = portfolio(self.plan, self.zhangya, W20, AS_OF)
        paged = portfolio_table.paged_table(kept, self.plan.year)
        RequestConfig(request, paginate={"per_page": 5}).configure(paged)
        ours = rendered(paged, request)
        self.assertIn('aria-current="page">2</a>', ours)
        self.assertEqual(ours, rendered(self.table(self.zhangya, request, per_page=5), request))

    def test_a_counted_report_moves_the_kept_rows_and_a_draft_does_not(self):
        seven = Task.objects.get(plan=self.plan, number="7")
        before = portfolio(self.plan, self.zhangya, W20, AS_OF)
        report = add_report(seven, self.drc, self.staff, state="draft", progress="草稿不算")
        self.assertEqual(portfolio(self.plan, self.zhangya, W20, AS_OF), before)
        report.state, report.progress, report.percent = "submitted", "七号任务新进展", 45
        report.save()
        after = portfolio(self.plan, self.zhangya, W20, AS_OF)
        row = next(r for r in after.rows if r.number == "7")
        self.assertEqual((row.latest, row.completion), ("七号任务新进展", 45.0))
        self.assertNotEqual(after, before)
        self.assertEqual(after, self.fresh(self.zhangya))

    def test_a_renamed_unit_or_a_new_deadline_moves_it(self):
        portfolio(self.plan, self.zhangya, W20, AS_OF)
        unit = Department.objects.get(name="区发展和改革局")
        unit.name = "区发展改革委"
        unit.save()
        seven = Task.objects.get(plan=self.plan, number="7")
        seven.extended_deadline = datetime.date(2023, 3, 31)
        seven.save()
        kept = portfolio(self.plan, self.zhangya, W20, AS_OF)
        row = next(r for r in kept.rows if r.number == "7")
        self.assertIn("区发展改革委", row.lead_units)
        self.assertEqual(row.extended_deadline, datetime.date(2023, 3, 31))
        self.assertEqual(kept, self.fresh(self.zhangya))

    def test_the_kept_plans_of_a_leader_move_with_a_new_lead_or_a_renamed_plan(self):
        self.assertEqual([p.slug for p in leader_plans(self.zhangya)], [self.plan.slug])
        other = Plan.objects.create(slug="2023", year=2023, title="二〇二三年方案")
        section = self.plan.sections.first()
        task = Task.objects.create(
            plan=other, section=section, number="1", text="任务", sort_order=1
        )
        TaskLeader.objects.create(task=task, leader=self.zhangya, position=0)
        self.assertEqual([p.slug for p in leader_plans(self.zhangya)], ["2023", self.plan.slug])
        other.title = "二〇二三年分工方案"
        other.save()
        [kept, _] = leader_plans(self.zhangya)
        self.assertEqual((kept.pk, kept.title), (other.pk, "二〇二三年分工方案"))
        self.assertEqual(leader_plans(self.meiyongjie), [self.plan])

    def fresh(self, leader):
        tasks = list(
            Task.objects.filter(plan=self.plan, leader_links__leader=leader).prefetch_related(
                LEADERS, UNITS
            )
        )
        return compute(self.plan, W20, AS_OF, tasks, [leader.pk])[leader.pk]


@override_settings(AS_OF_DATE="2022-05-18")
class WarmPortfolioTests(RevisionTestCase):
    def test_after_a_submission_every_leaders_portfolio_is_kept_already(self):
        drc = Department.objects.get(name="区发展和改革局")
        make_user("staff", unit=drc, reporter=True)
        self.client.login(request=HttpRequest(), username="staff", password=PASSWORD)
        response = self.client.post(
            reverse("tasks:report", args=["2022", "7"]) + "?period=2022-W20",
            {"progress": "项目完成土地征收。", "next_steps": "继续推进。", "percent": "35"}
            | {"problems": "", "version": 0, "action": "submit"},
        )
        self.assertEqual(response.status_code, 302)
        period = reporting.current_period(self.plan)
        for leader in Leader.objects.filter(task_links__task__plan=self.plan).distinct():
            with CaptureQueriesContext(connection) as queries:
                portfolio(self.plan, leader, period, AS_OF)
                self.assertEqual([p.pk for p in leader_plans(leader)], [self.plan.pk])
            self.assertEqual(len(queries), 2, leader.name)  # the revision, twice: no figure
        zhangya = portfolio(self.plan, Leader.objects.get(name="张娅"), period, AS_OF)
        seven = next(r for r in zhangya.rows if r.number == "7")
        self.assertEqual(seven.latest, "项目完成土地征收。")
