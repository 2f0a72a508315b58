"""Node plans on the task page (tasks.node_views, tasks.node_plans): the office saves them, the
lead unit proposes them, the office approves or refuses; bad input is refused in Chinese."""

import datetime
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.once import FIELD, new_token
from tasks import revision
from tasks.models import NodeProposal, ProgressReport, TaskEvent, TaskNode
from tasks.periods import parse_period_key
from tasks.progress import task_states

from .base import BaseTestCase

PLAN = [
    ("2022-03-31", "完成立项", "10"),
    ("2022-06-30", "开工", "30"),
    ("2022-12-31", "竣工", "100"),
]


def form_data(rows, *, total=None, reason=""):
    data = {
        "nodes-TOTAL_FORMS": str(len(rows) if total is None else total),
        "nodes-INITIAL_FORMS": "0",
        "nodes-MIN_NUM_FORMS": "0",
        "nodes-MAX_NUM_FORMS": "24",
        "reason": reason,
        FIELD: new_token(),
    }
    for i, (due, description, percent) in enumerate(rows):
        data |= {
            f"nodes-{i}-due": due,
            f"nodes-{i}-description": description,
            f"nodes-{i}-expected_percent": percent,
        }
    return data


@override_settings(AS_OF_DATE="2022-05-18")
class NodePlanEntryTests(BaseTestCase):
    def setUp(self):
        self.task15 = self.task["15"]
        self.url = reverse("tasks:nodes", args=[self.task15.plan.slug, self.task15.number])

    def post(self, user, rows, **kwargs):
        self.client.force_login(user)
        return self.client.post(self.url, form_data(rows, **kwargs))

    def errors(self, response) -> str:
        return response.content.decode()

    def test_the_office_saves_a_node_plan_and_the_trail_keeps_old_and_new(self):
        response = self.post(self.office, PLAN, reason="按项目实施方案")
        self.assertRedirects(
            response, self.task15.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(
            list(self.task15.nodes.values_list("due", "description", "expected_percent")),
            [
                (datetime.date(2022, 3, 31), "完成立项", Decimal("10.0")),
                (datetime.date(2022, 6, 30), "开工", Decimal("30.0")),
                (datetime.date(2022, 12, 31), "竣工", Decimal("100.0")),
            ],
        )
        event = TaskEvent.objects.get(task=self.task15, kind="nodes.changed")
        self.assertEqual(event.reason, "按项目实施方案")
        self.assertEqual(event.changes["时间节点"][0], "（无）")
        self.assertIn("2022-06-30 开工 30%", event.changes["时间节点"][1])
        # A second plan: the trail shows the one it replaced.
        self.post(self.office, PLAN[1:])
        last = TaskEvent.objects.filter(task=self.task15, kind="nodes.changed").last()
        self.assertIn("2022-03-31 完成立项 10%", last.changes["时间节点"][0])
        self.assertNotIn("完成立项", last.changes["时间节点"][1])
        self.assertEqual(self.task15.nodes.count(), 2)

    def test_a_closed_task_keeps_its_node_plan_until_the_office_reopens_it(self):
        self.task15.closed_on = datetime.date(2022, 5, 10)
        self.task15.save(update_fields=["closed_on"])
        response = self.post(self.office, PLAN)
        self.assertContains(response, "已办结", status_code=400)
        self.assertFalse(self.task15.nodes.exists())
        self.assertFalse(TaskEvent.objects.filter(kind="nodes.changed").exists())

    def test_the_same_form_sent_twice_saves_and_records_once(self):
        data = form_data(PLAN)
        self.client.force_login(self.office)
        first, second = self.client.post(self.url, data), self.client.post(self.url, data)
        self.assertEqual((first.status_code, second.status_code), (302, 302))
        self.assertEqual(TaskEvent.objects.filter(kind="nodes.changed").count(), 1)
        # Without the token (another tab) the same plan again changes nothing and records nothing.
        data.pop(FIELD)
        self.client.post(self.url, data)
        self.assertEqual(TaskEvent.objects.filter(kind="nodes.changed").count(), 1)
        self.assertEqual(self.task15.nodes.count(), 3)

    def test_a_node_kept_at_its_date_keeps_its_approved_extension(self):
        self.post(self.office, PLAN)
        TaskNode.objects.filter(task=self.task15, due="2022-06-30").update(
            extended_due=datetime.date(2022, 7, 31)
        )
        self.post(self.office, [PLAN[0], ("2022-06-30", "开工建设", "35"), PLAN[2]])
        node = self.task15.nodes.get(due="2022-06-30")
        self.assertEqual(
            (node.description, node.extended_due), ("开工建设", datetime.date(2022, 7, 31))
        )

    def test_bad_node_plans_are_refused_with_a_clear_message_and_nothing_written(self):
        cases = [
            ([PLAN[1], PLAN[0]], "节点须按时间先后填写"),
            ([PLAN[0], ("2022-03-31", "开工", "30")], "同一天只能有一个节点"),
            ([("2023-01-15", "竣工", "100")], "不在计划年度 2022 年内"),
            ([("2022-12-31", "竣工", "120")], "预期进度不能超过 100%"),
            ([PLAN[0], ("2022-06-30", "开工", "5")], "预期进度不能倒退"),
            ([("2022-13-45", "竣工", "100")], "请填写有效的日期"),
            ([("2022-12-31", "", "100")], "请填写节点目标"),
            ([("2022-12-31", "竣工", "abc")], "预期进度必须是数字"),
        ]
        for rows, message in cases:
            with self.subTest(message):
                response = self.post(self.office, rows)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, self.errors(response))
        self.assertFalse(TaskNode.objects.exists())
        self.assertFalse(TaskEvent.objects.filter(kind__startswith="nodes.").exists())

    def test_more_than_24_nodes_and_a_forged_total_forms_are_refused(self):
        many = [
            (f"2022-{m:02d}-{d:02d}", "节点", str(m * 4)) for m in range(1, 13) for d in (10, 25)
        ]
        response = self.post(self.office, [*many, ("2022-12-31", "竣工", "100")])
        self.assertEqual(response.status_code, 400)
        self.assertIn("最多 24 个时间节点", self.errors(response))
        response = self.post(self.office, PLAN, total=100000)
        self.assertEqual(response.status_code, 400)
        self.assertIn("最多 24 个时间节点", self.errors(response))
        self.assertFalse(TaskNode.objects.exists())

    def test_blank_rows_are_skipped_and_an_empty_plan_clears_the_nodes(self):
        self.post(self.office, [*PLAN, ("", "", "")])
        self.assertEqual(self.task15.nodes.count(), 3)
        self.post(self.office, [("", "", "")])
        self.assertEqual(self.task15.nodes.count(), 0)

    def test_the_lead_unit_proposes_and_the_office_approves(self):
        response = self.post(self.staff, PLAN)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.task15.nodes.exists())  # not before the office approves
        proposal = NodeProposal.objects.get(task=self.task15)
        self.assertEqual(proposal.state, NodeProposal.State.PENDING)
        # A second proposal while one is pending: refused, with the reason.
        response = self.post(self.head, PLAN[1:])
        self.assertEqual(response.status_code, 400)
        self.assertIn("已有一份待审核的节点计划", self.errors(response))
        self.client.force_login(self.office)
        approve = reverse("tasks:node_decide", args=[proposal.pk, "approve"])
        token = new_token()
        self.client.post(approve, {FIELD: token})
        self.client.post(approve, {FIELD: token})  # a double click
        response = self.client.post(approve, {})  # another tab: already decided
        self.assertIn("已处理", " ".join(m.message for m in response.wsgi_request._messages))
        proposal.refresh_from_db()
        self.assertEqual((proposal.state, proposal.decided_by), ("approved", self.office))
        self.assertEqual(self.task15.nodes.count(), 3)
        kinds = list(TaskEvent.objects.filter(task=self.task15).values_list("kind", flat=True))
        self.assertEqual(kinds, ["nodes.proposed", "nodes.approved"])

    def test_the_office_is_told_of_a_proposal_and_the_proposer_of_the_decision(self):
        from notifications.models import Notification

        with self.captureOnCommitCallbacks(execute=True):
            self.post(self.staff, PLAN)
        told = Notification.objects.get(user=self.office)
        self.assertIn("任务 15 的节点计划已报审", told.title)
        self.assertEqual(told.url, self.url)
        self.assertFalse(Notification.objects.filter(user=self.staff).exists())
        proposal = NodeProposal.objects.get(task=self.task15)
        self.client.force_login(self.office)
        refuse = reverse("tasks:node_decide", args=[proposal.pk, "refuse"])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(refuse, {"reason": "开工时间与批复不符"})
        answer = Notification.objects.get(user=self.staff)
        self.assertEqual(answer.title, "任务 15 报审的节点计划督查室未同意")
        self.assertIn("开工时间与批复不符", answer.body)

    def test_the_office_refuses_a_proposal_only_with_a_reason(self):
        self.post(self.staff, PLAN)
        proposal = NodeProposal.objects.get(task=self.task15)
        self.client.force_login(self.office)
        refuse = reverse("tasks:node_decide", args=[proposal.pk, "refuse"])
        self.client.post(refuse, {"reason": "  "})
        proposal.refresh_from_db()
        self.assertEqual(proposal.state, "pending")
        self.client.post(refuse, {"reason": "开工时间与项目批复不符"})
        proposal.refresh_from_db()
        self.assertEqual((proposal.state, proposal.reason), ("refused", "开工时间与项目批复不符"))
        self.assertFalse(self.task15.nodes.exists())
        event = TaskEvent.objects.get(kind="nodes.refused")
        self.assertEqual(event.reason, "开工时间与项目批复不符")
        # Refused: the unit may propose again.
        self.assertEqual(self.post(self.staff, PLAN).status_code, 302)

    def test_the_task_page_lists_the_nodes_with_their_state_and_the_chart_marks_them(self):
        self.post(self.office, PLAN)
        ProgressReport.objects.create(
            task=self.task15,
            department=self.drc,
            role="lead",
            period_key="2022-W13",
            period_start=datetime.date(2022, 3, 28),
            period_end=datetime.date(2022, 4, 3),
            percent=Decimal("5"),
            state="accepted",
            created_by=self.staff,
            updated_by=self.staff,
        )
        self.client.force_login(self.leader)
        page = self.client.get(self.task15.get_absolute_url()).content.decode()
        self.assertIn("时间节点", page)
        self.assertIn('<span class="node-state node-missed">未按期完成</span>', page)
        self.assertIn('<span class="node-state node-pending">未到期</span>', page)
        self.assertIn('class="node node-missed"', page)  # the chart's marker
        self.assertNotIn("修改节点", page)  # leaders read, do not edit


@override_settings(AS_OF_DATE="2022-05-18")
class NodeRuleInTheLightsTests(BaseTestCase):
    def lead_report(self, task, percent=5, week=20):
        period = parse_period_key(f"2022-W{week:02d}")
        ProgressReport.objects.create(
            task=task,
            department=self.drc,
            role="lead",
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            percent=Decimal(percent),
            state="accepted",
            created_by=self.staff,
            updated_by=self.staff,
        )

    def test_a_node_plan_moves_the_light_and_the_revision(self):
        task = self.task["15"]
        self.lead_report(task)
        day = datetime.date(2022, 5, 18)
        before = task_states(task.plan, day)[task.pk]
        self.assertEqual(before.status, "seriously_behind")  # 37.8 % expected on the line
        with mock.patch.object(revision, "bump") as bump:
            for due, percent in (("2022-06-30", 0), ("2022-09-30", 40), ("2022-12-31", 100)):
                TaskNode.objects.create(
                    task=task, due=due, description="节点", expected_percent=percent
                )
        self.assertEqual(bump.call_count, 3)  # tasks.receivers: every node saved moves it
        after = task_states(task.plan, day)[task.pk]
        self.assertEqual((after.status, after.expected), ("on_schedule", 0.0))

    def test_task_states_judge_each_node_with_one_query_more_whatever_the_nodes(self):
        plan = self.task["15"].plan
        day = datetime.date(2022, 5, 18)
        self.lead_report(self.task["1"], percent=15, week=13)
        with CaptureQueriesContext(connection) as without:
            task_states(plan, day)
        for number in ("15", "1"):
            for due, what, percent in (("2022-03-31", "立项", 10), ("2022-12-31", "竣工", 100)):
                TaskNode.objects.create(
                    task=self.task[number], due=due, description=what, expected_percent=percent
                )
        with CaptureQueriesContext(connection) as queries:
            states = task_states(plan, day)
        self.assertEqual(len(queries), len(without))  # the node query runs with or without nodes
        fifteen, one = states[self.task["15"].pk], states[self.task["1"].pk]
        self.assertEqual([n.outcome for n in fifteen.nodes], ["missed", "pending"])
        self.assertEqual([n.outcome for n in one.nodes], ["met", "pending"])
        self.assertEqual(
            (fifteen.last_node.description, fifteen.next_node.description), ("立项", "竣工")
        )
        self.assertEqual(len(fifteen.missed_nodes), 1)
        self.assertEqual(states[self.task["125"].pk].nodes, ())


@override_settings(AS_OF_DATE="2022-05-20")
class NodesInTheWorkbookTests(BaseTestCase):
    def test_the_main_sheet_has_the_next_node_and_whether_the_last_one_was_met(self):
        from openpyxl import load_workbook

        from reports import rollup
        from reports.workbook import MAIN_HEADERS

        task = self.task["15"]
        for due, what, percent in (("2022-03-31", "完成立项", 10), ("2022-06-30", "开工", 30)):
            TaskNode.objects.create(task=task, due=due, description=what, expected_percent=percent)
        ProgressReport.objects.create(
            task=task,
            department=self.drc,
            role="lead",
            period_key="2022-W13",
            period_start=datetime.date(2022, 3, 28),
            period_end=datetime.date(2022, 4, 3),
            percent=Decimal("5"),
            state="accepted",
            created_by=self.staff,
            updated_by=self.staff,
        )
        plan = task.plan
        week = parse_period_key("2022-W20")
        rollup.produce(plan, week)
        sheet = load_workbook(rollup.workbook_path(plan, week))["总表"]
        next_col, last_col = (
            MAIN_HEADERS.index("下一节点"),
            MAIN_HEADERS.index("上一节点是否按期完成"),
        )
        rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
        self.assertEqual(rows["15"][next_col], "06-30 开工 30%")
        self.assertEqual(rows["15"][last_col], "否：03-31 完成立项 10%（实际 5%）")
        self.assertIsNone(rows["1"][next_col])  # no node plan: empty cells


@override_settings(AS_OF_DATE="2022-05-18")
class NodeValueBesideAReportTests(BaseTestCase):
    def test_the_report_form_and_review_page_read_the_node_value_too(self):
        from tasks.report_context import expected_at

        task = self.task["15"]
        week = parse_period_key("2022-W20")  # as of 5-18 (today comes before its end)
        self.assertEqual(expected_at(task, week), 37.8)  # the straight line
        TaskNode.objects.create(task=task, due="2022-06-30", description="开工", expected_percent=0)
        TaskNode.objects.create(
            task=task, due="2022-12-31", description="竣工", expected_percent=100
        )
        self.assertEqual(expected_at(task, week), 0.0)
