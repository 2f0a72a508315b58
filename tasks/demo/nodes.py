"""Demo node plans (时间节点) on construction and project tasks of the 2022 plan.

Taken from what the newspaper's year-end issue of 2022-12-27 (seed 003) says was achieved:
96 projects all started, 95.3 % of the year's planned investment by the end of November;
590 new 5G base stations, the year's task done early; the floating PV plant at 堂邑镇 with all
its anchor blocks installed; five 技改 projects on the province's list. Added once per task
(a task that already has nodes keeps them), through tasks.node_plans so the trail shows them.
"""

import datetime
from decimal import Decimal

from .. import node_plans
from ..models import Plan

# number -> (why, [(month, day, what, percent)])
PLANS = {
    "7": (
        "按年度重点项目推进计划",
        [
            (3, 31, "实施类项目全部开工复工", 20),
            (6, 30, "完成年度计划投资的50%", 50),
            (9, 30, "完成年度计划投资的75%", 75),
            (11, 30, "完成年度计划投资的95%", 95),
            (12, 31, "完成年度计划投资", 100),
        ],
    ),
    "32": (
        "按全年5G基站建设任务",
        [
            (6, 30, "新建5G基站300个", 50),
            (9, 30, "新建5G基站500个", 80),
            (12, 31, "完成全年建站任务", 100),
        ],
    ),
    "21": (
        "按堂邑镇水上光伏项目建设计划",
        [
            (3, 31, "完成项目备案", 5),
            (7, 31, "开工建设", 20),
            (10, 31, "锚固块安装过半", 60),
            (12, 31, "锚固块全部安装完成", 100),
        ],
    ),
    "19": (
        "按轴承产业园区建设计划",
        [
            (3, 31, "完成产业园区规划编制", 5),
            (6, 30, "新能源汽车零部件产业园项目开工", 40),
            (9, 30, "主体工程完工", 70),
            (12, 31, "产业园建成投用", 100),
        ],
    ),
    "24": (
        "按智能化技改三年行动年度计划",
        [
            (4, 30, "5家骨干企业技改项目完成申报", 35),
            (6, 30, "5个项目列入省技改重点导向目录", 45),
            (10, 31, "技改投资增幅达到30%", 80),
            (12, 31, "完成年度技改任务", 100),
        ],
    ),
}


def add_demo_nodes(plan: Plan | None) -> int:
    """Give the demo tasks their node plans; returns how many tasks got one."""
    if plan is None or plan.year != 2022:
        return 0
    added = 0
    for task in plan.tasks.filter(number__in=PLANS):
        if task.nodes.exists():
            continue
        reason, rows = PLANS[task.number]
        nodes = [
            {
                "due": datetime.date(plan.year, month, day),
                "description": what,
                "expected_percent": Decimal(percent),
            }
            for month, day, what, percent in rows
        ]
        added += node_plans.save_plan(task, nodes, actor=None, reason=reason)
    return added
