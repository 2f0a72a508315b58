"""Node plans read from a plan document's 时间节点 cell (tasks.importer.nodes, pure) and
written by the loader."""

from datetime import date
from decimal import Decimal

from django.test import TestCase

from tasks.importer.deadlines import parse_deadline
from tasks.importer.nodes import parse_nodes

from .helpers import REGISTRY

CELL = "3月底前完成立项；6月底前开工；9月底主体完工；12月底竣工"


def _plain(nodes):
    return [(n.due, n.description, n.percent, n.percent_given) for n in nodes]


def test_a_list_of_dated_phrases_becomes_nodes_spread_evenly_to_100():
    assert _plain(parse_nodes(CELL, 2022)) == [
        (date(2022, 3, 31), "完成立项", Decimal("25.0"), False),
        (date(2022, 6, 30), "开工", Decimal("50.0"), False),
        (date(2022, 9, 30), "主体完工", Decimal("75.0"), False),
        (date(2022, 12, 31), "竣工", Decimal(100), False),
    ]


def test_the_deadline_stays_the_last_nodes_date():
    assert parse_deadline(CELL, 2022) == parse_nodes(CELL, 2022)[-1].due


def test_written_percents_are_kept_and_the_others_filled_between_them():
    nodes = parse_nodes("6月底前开工（30%）；9月底完成主体；12月底竣工投用", 2022)
    assert [(n.percent, n.percent_given) for n in nodes] == [
        (Decimal(30), True),
        (Decimal("65.0"), False),
        (Decimal(100), False),
    ]
    assert [n.description for n in nodes] == ["开工", "完成主体", "竣工投用"]


def test_commas_before_a_date_split_phrases_too():
    nodes = parse_nodes("2022年5月完成招标，8月15日前开工建设，年底前完工", 2022)
    assert [(n.due, n.description) for n in nodes] == [
        (date(2022, 5, 31), "完成招标"),
        (date(2022, 8, 15), "开工建设"),
        (date(2022, 12, 31), "完工"),  # 年底前: the year's end
    ]


def test_a_single_date_is_a_deadline_not_a_node_plan():
    assert parse_nodes("6月底前", 2022) == []
    assert parse_nodes("全年", 2022) == []
    assert parse_nodes("", 2022) == []
    assert parse_nodes(CELL, None) == []


def test_dates_out_of_order_or_in_another_year_are_no_node_plan():
    assert parse_nodes("9月底主体完工；6月底前开工", 2022) == []
    assert parse_nodes("6月底开工；6月底完工", 2022) == []
    assert parse_nodes("6月底开工；2023年6月底完工", 2022) == []


def test_percents_above_100_or_going_down_are_no_node_plan():
    assert parse_nodes("6月底完成60%；9月底完成40%", 2022) == []
    assert parse_nodes("6月底完成60%；9月底完成140%", 2022) == []


# --- the loader writes them --------------------------------------------------------------------

TABLE_PLAN = (
    "某区2024年重点项目推进方案\n序号|工作任务|牵头单位|时间节点\n一、扩大有效投资\n"
    "1|建设城东污水处理厂。|区财政局|3月底前完成立项；6月底前开工（30%）；9月底主体完工；12月底竣工\n"
    "2|办好民生实事。|区财政局|全年\n"
)


class ImportedNodePlanTests(TestCase):
    fixtures = [REGISTRY]

    def load(self, text):
        from tasks.importer.documents import read_document
        from tasks.importer.loader import load_plan

        parsed, source = read_document("plan.txt", text.encode())
        return load_plan(parsed, source_text=source, year=2024)

    def test_a_time_node_column_becomes_the_tasks_node_plan_and_its_deadline(self):
        from tasks.models import Task, TaskEvent

        self.load(TABLE_PLAN)
        task = Task.objects.get(plan__year=2024, number="1")
        self.assertEqual(
            [(n.due, n.description, n.expected_percent) for n in task.nodes.all()],
            [
                (date(2024, 3, 31), "完成立项", Decimal("15.0")),
                (date(2024, 6, 30), "开工", Decimal("30.0")),
                (date(2024, 9, 30), "主体完工", Decimal("65.0")),
                (date(2024, 12, 31), "竣工", Decimal("100.0")),
            ],
        )
        self.assertEqual(task.deadline, date(2024, 12, 31))
        event = TaskEvent.objects.get(task=task)
        self.assertEqual(
            (event.kind, event.actor, event.reason), ("nodes.changed", None, "按方案文件导入")
        )
        self.assertFalse(Task.objects.get(plan__year=2024, number="2").nodes.exists())
        # Loading the same document again changes nothing and records nothing.
        result = self.load(TABLE_PLAN)
        self.assertNotIn("1", result.tasks_updated)
        self.assertEqual(TaskEvent.objects.count(), 1)

    def test_a_dry_run_writes_no_nodes(self):
        from tasks.importer.documents import read_document
        from tasks.importer.loader import load_plan
        from tasks.models import TaskNode

        parsed, source = read_document("plan.txt", TABLE_PLAN.encode())
        load_plan(parsed, source_text=source, year=2024, dry_run=True)
        self.assertFalse(TaskNode.objects.exists())
