"""Demonstration progress reports for a plan (``manage.py demo_progress``).

Writes plausible weekly reports of the lead units (and, for about a third of the tasks, of one
cooperating department) so that the dashboards, status lights and exports have something to
show before real units report. Every row written here has ``is_demo=True`` and is written by
the inactive user "demo-data" (演示数据); real reports are never touched, and a real report for
the same task × unit × period always wins.

The output is deterministic: each report's text comes from ``random.Random`` seeded with the
plan slug, the task number, the week and the unit, so a rerun writes identical rows.

Where the district's own year-end account of 2022 (聊城日报 2022-12-27, shared seed 003) gives a
figure for a task, the task's reports ramp up to that figure (REAL_FIGURES); everything else
is generated to be consistent with the task's percent.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import clock, revision
from .models import Indicator, IndicatorValue, Plan, ProgressReport, ReportEvent, Task, TaskUnit
from .periods import Period, plan_periods
from .progress import task_states
from .reporting import current_period, plan_due_at, snapshot_of
from .status import Status, expected_progress

DEMO_USERNAME = "demo-data"
DEMO_USER_NAME = "演示数据"

State = ProgressReport.State
Action = ReportEvent.Action
LEAD, COOPERATING = TaskUnit.Role.LEAD, TaskUnit.Role.COOPERATING


# --- real figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealFigure:
    """A figure the district published for a task, and how the demo reports ramp up to it.

    ``template`` is the sentence the lead unit writes, with one placeholder per entry of
    ``values`` ((value in the plan's first week, value at ``as_of``), as decimal strings; the
    published figure is the second). From ``as_of`` on the figure stays as published and the
    sentence is dated with ``label``. ``indicators`` maps an indicator of the task (by a part of
    its name, and its unit) to a placeholder, so that IndicatorValue carries the same figure.
    ``keyword`` must occur in the task's text, so that a renumbered plan gets no wrong figure.
    ``finished``: the source says the year's task is done; the task is accepted as finished in
    the week of ``as_of`` and reports no more.
    """

    task: str
    keyword: str
    as_of: datetime.date
    label: str
    template: str
    values: tuple[tuple[str, str], ...]
    source: str
    indicators: tuple[tuple[str, str, int], ...] = ()
    finished: bool = False
    suffix: str = ""  # appended once the figure is reached


# All from 聊城日报 2022-12-27 两会特刊 "东昌府区" (shared seeds/003_0246da1f8c24bbdc.txt). Where a
# sentence names no period of its own, as_of is the period its paragraph opens with, or else the
# issue date. Starting values (the first element of each pair) are demo assumptions, except where
# the source implies them (5G: 1632 − 590 = 1042 base stations before 2022).
REAL_FIGURES: dict[str, RealFigure] = {
    f.task: f
    for f in (
        # "今年谋划确定了重点推进建设项目165个，其中实施类项目96个，总投资752.2亿元，年度计划投资
        #  213.7亿元。截至11月底，96个项目开工复工率达100%，完成投资200.87亿元，占年度计划的95.3%。"
        # The plan named 86 key projects and 195 亿元 of investment; the year ran 96 实施类 projects.
        RealFigure(
            task="7",
            keyword="重点项目",
            as_of=datetime.date(2022, 11, 30),
            label="截至11月底",
            template="96个实施类重点项目已开工复工{0}个，累计完成投资{1}亿元",
            values=(("30", "96"), ("0", "200.87")),
            indicators=(("投资", "亿元", 1), ("重点项目", "个", 0)),
            source="截至11月底，96个项目开工复工率达100%，完成投资200.87亿元，占年度计划的95.3%。",
        ),
        # "华为赋能中心完成80家企业数字化诊断，首批7个重点项目完成交付验收工作，新增创新中心合作
        #  项目10个。" (paragraph opening "1—10月")
        RealFigure(
            task="14",
            keyword="华为数字赋能中心",
            as_of=datetime.date(2022, 10, 31),
            label="1—10月",
            template=(
                "华为赋能中心完成{0}家企业数字化诊断，首批{1}个重点项目完成交付验收，"
                "新增创新中心合作项目{2}个"
            ),
            values=(("0", "80"), ("0", "7"), ("0", "10")),
            indicators=(("数字化诊断", "家", 0),),
            source=(
                "华为赋能中心完成80家企业数字化诊断，首批7个重点项目完成交付验收工作，"
                "新增创新中心合作项目10个。"
            ),
        ),
        # "项目总投资9.6亿元，利用4475亩闲置空间，…在水面安装了37万块光伏组件…目前，水上光伏锚固块
        #  已全部安装完成。" (国家能源集团聊城发电水库光伏项目, reported on 12月19日)
        RealFigure(
            task="21",
            keyword="光伏",
            as_of=datetime.date(2022, 12, 19),
            label="截至12月19日",
            template="国家能源集团水库光伏项目（总投资9.6亿元）在水面安装光伏组件{0}万块",
            values=(("0", "37"),),
            indicators=(("光伏组件", "万块", 0),),
            source="项目总投资9.6亿元，…在水面安装了37万块光伏组件…目前，水上光伏锚固块已全部安装完成。",
            suffix="，水上光伏锚固块已全部安装完成",
        ),
        # "实施传统产业智能化技改三年行动，全区5个项目列入省技改重点导向目录，3个项目获得省级
        #  “技改专项贷”，兑现了企业各级奖励资金807.35万元。1—10月，全区工业技改投资增幅达33.5%"
        RealFigure(
            task="24",
            keyword="技改",
            as_of=datetime.date(2022, 10, 31),
            label="1—10月",
            template=(
                "全区{0}个项目列入省技改重点导向目录，{1}个项目获得省级‘技改专项贷’，"
                "兑现企业各级奖励资金{2}万元"
            ),
            values=(("0", "5"), ("0", "3"), ("0", "807.35")),
            indicators=(("奖励资金", "万元", 2),),
            source=(
                "全区5个项目列入省技改重点导向目录，3个项目获得省级“技改专项贷”，"
                "兑现了企业各级奖励资金807.35万元。1—10月，全区工业技改投资增幅达33.5%"
            ),
            suffix="，全区工业技改投资增幅达33.5%",
        ),
        # "1—10月，东昌府区新一代信息技术产业营业收入完成9.4亿元，同比增长3.42%；完成企业上云
        #  242家，设备上云870套。"
        RealFigure(
            task="30",
            keyword="数字经济",
            as_of=datetime.date(2022, 10, 31),
            label="1—10月",
            template="新一代信息技术产业营业收入完成{0}亿元，完成企业上云{1}家、设备上云{2}套",
            values=(("0", "9.4"), ("0", "242"), ("0", "870")),
            indicators=(("营业收入", "亿元", 0), ("企业上云", "家", 1), ("设备上云", "套", 2)),
            source=(
                "1—10月，东昌府区新一代信息技术产业营业收入完成9.4亿元，同比增长3.42%；"
                "完成企业上云242家，设备上云870套。"
            ),
            suffix="，营业收入同比增长3.42%",
        ),
        # "新建5G基站590个，累计达到1632个，已提前完成全年建站任务。" (paragraph opening "1—10月")
        RealFigure(
            task="32",
            keyword="5G",
            as_of=datetime.date(2022, 10, 31),
            label="1—10月",
            template="新建5G基站{0}个，累计达到{1}个",
            values=(("0", "590"), ("1042", "1632")),
            indicators=(("累计", "个", 1), ("5G", "个", 0)),
            source="新建5G基站590个，累计达到1632个，已提前完成全年建站任务。",
            finished=True,
            suffix="，已提前完成全年建站任务",
        ),
        # "与22个省（自治区、直辖市）的436个县（市、区）开通“跨省通办”“全省通办”。" (undated)
        RealFigure(
            task="46",
            keyword="跨省通办",
            as_of=datetime.date(2022, 12, 27),
            label="截至目前",
            template="已与{0}个省（自治区、直辖市）的{1}个县（市、区）开通‘跨省通办’‘全省通办’",
            values=(("8", "22"), ("120", "436")),
            indicators=(("跨省通办", "个", 1),),
            source="与22个省（自治区、直辖市）的436个县（市、区）开通“跨省通办”“全省通办”。",
        ),
        # "前三季度，新增市场主体20894户，占全市新增市场主体27%，预计年底新增市场主体将突破2.5万户。"
        RealFigure(
            task="49",
            keyword="商事制度改革",
            as_of=datetime.date(2022, 9, 30),
            label="前三季度",
            template="新增市场主体{0}户",
            values=(("0", "20894"),),
            indicators=(("市场主体", "户", 0),),
            source="前三季度，新增市场主体20894户，占全市新增市场主体27%，预计年底新增市场主体将突破2.5万户。",
            suffix="，占全市新增市场主体27%",
        ),
        # "大力开拓RCEP新市场…今年1—8月，实际使用外资达到3268万美元，再创历史新高。"
        RealFigure(
            task="55",
            keyword="区域全面经济伙伴关系协定",
            as_of=datetime.date(2022, 8, 31),
            label="1—8月",
            template="实际使用外资{0}万美元",
            values=(("0", "3268"),),
            indicators=(("外资", "万美元", 0),),
            source="今年1—8月，实际使用外资达到3268万美元，再创历史新高。",
            suffix="，再创历史新高",
        ),
    )
}


# --- phrases ---------------------------------------------------------------------------------

_MONTH_CONTEXT = {
    1: ["年初召开专题会议，研究部署全年工作。", "对照年度目标细化任务清单，明确时间表和路线图。"],
    2: ["春节假期后迅速收心归位，全面进入工作状态。", "统筹做好节后复工复产和各项工作推进。"],
    3: ["全力冲刺一季度目标任务，力争实现“开门红”。", "对一季度工作进行梳理，查找薄弱环节。"],
    4: ["召开二季度工作调度会，部署阶段性重点任务。", "在做好疫情防控的前提下，有序推进各项工作。"],
    5: ["对照时间节点倒排工期，确保“时间过半、任务过半”。", "开展工作落实情况“回头看”。"],
    6: ["全面梳理上半年工作完成情况，迎接半年督导检查。", "全力冲刺“双过半”目标。"],
    7: ["召开上半年工作总结会，部署下半年重点任务。", "克服高温天气影响，合理安排工作进度。"],
    8: ["统筹做好汛期安全和重点工作推进。", "开展重点工作集中攻坚。"],
    9: ["全力冲刺三季度目标任务。", "对照年度目标开展进度评估，及时调整推进措施。"],
    10: ["国庆假期后迅速恢复工作节奏。", "聚焦四季度目标任务，开展集中攻坚行动。"],
    11: ["进入年底冲刺阶段，逐项对账、逐项销号。", "统筹做好疫情防控和重点工作推进。"],
    12: [
        "开展全年工作总结，查漏补缺，确保年度任务圆满收官。",
        "整理全年工作资料，做好年终考核准备。",
    ],
}
_AFTER_CONGRESS = "深入学习贯彻党的二十大精神，把会议精神转化为推进工作的实际举措。"

_ACTIONS = [
    "召开专题调度会{n}次，逐项梳理任务进展，明确责任人和完成时限",
    "深入一线实地督导{n}次，现场协调解决具体问题{m}个",
    "与市直对口部门沟通对接{n}次，积极争取政策和资金支持",
    "组织相关科室和镇街召开推进会，对重点环节再部署、再落实",
    "落实周调度、月通报工作机制，压紧压实工作责任",
    "对照年度目标开展自查，形成问题清单和整改台账",
    "更新完善工作台账，做好过程资料收集归档",
    "开展政策宣传{n}场次，发放明白纸{m}0余份",
    "会同配合单位开展联合检查{n}次，推动各项措施落地见效",
    "向分管区领导专题汇报工作进展，按要求调整完善推进措施",
    "梳理形成重点事项清单{m}项，实行清单化管理、销号式推进",
    "走访企业和基层单位{m}家（个），现场协调解决问题{n}个",
    "组织业务培训{n}次，提升工作人员业务能力",
    "对接上级业务主管部门，及时掌握最新政策要求",
]
_PROBLEMS = [
    "涉及部门多、协调环节多，部分事项推进周期较长",
    "资金保障压力较大，上级补助资金尚未全部到位",
    "专业技术人员不足，部分专业性工作推进较慢",
    "各镇街推进力度不均衡，个别村居群众工作难度较大",
    "部分企业参与积极性不高，后备储备不足",
    "部分前期手续涉及上级审批，办理周期较长",
    "受原材料价格上涨影响，部分项目建设成本增加",
    "用地、用能等要素保障趋紧，部分事项推进受限",
]
_LAG_PROBLEMS = [
    "前期论证时间较长，实质性工作启动较晚",
    "项目主体推进意愿不强，实际进度低于预期",
    "关键环节审批尚未完成，后续工作无法全面展开",
    "资金缺口较大，配套资金落实困难",
    "涉及征地拆迁，群众诉求较多，协调难度大",
]
_WINTER_PROBLEM = "冬季气温较低，部分室外作业受限"
_SUMMER_PROBLEM = "雨季、高温天气对室外作业有一定影响"
_COVID_PROBLEM = "受疫情影响，部分外地人员和物资进场受限，现场走访有所减少"
_NEXT_STEPS = [
    "继续加大推进力度，确保按序时进度完成年度任务",
    "加强与上级部门沟通对接，争取更多政策支持",
    "紧盯时间节点，倒排工期、挂图作战",
    "强化督导调度，及时协调解决推进中遇到的问题",
    "做好过程资料收集整理，为年底考核做好准备",
    "加强与配合单位的协调联动，形成工作合力",
    "认真总结经验做法，及时做好信息报送和宣传",
]
_CATCH_UP = [
    "制定赶超计划，成立工作专班集中推进",
    "提请分管区领导专题调度，集中解决堵点问题",
    "加密调度频次，每周通报进展情况",
    "逐项分析滞后原因，明确时限、压实责任",
]
_COOP_ACTIONS = [
    "按照{lead}工作要求，及时报送本单位相关数据和材料",
    "派员参加{lead}组织的调度会，认领分工任务{n}项",
    "结合本单位职能，落实配合措施{n}项",
    "与{lead}共同开展现场督导{n}次，协调解决具体问题",
    "对本单位承担的配合事项进行梳理，建立工作台账",
]
_COOP_NEXT = [
    "继续做好配合工作，按时报送有关材料",
    "加强与{lead}的沟通联系，形成工作合力",
    "按照职责分工抓好配合事项落实",
]

_COUNT_UNITS = set(
    "个 家 座 所 处 条 项 套 名 场 场次 人次 人 户 件 台 辆 头 只 张 间 栋 次 块 批 期".split()
)


# --- profiles: how each task goes over the year ------------------------------------------------

ON_TRACK, BEHIND, SERIOUS, SILENT, FINISHER = "on_track", "behind", "serious", "silent", "finisher"


@dataclass
class Profile:
    kind: str
    final: float  # share of the target reached at the end (0..1)
    shape: float  # exponent of the curve
    delay: float = 0.0  # share of the year before work really starts (lagging tasks)
    finish: int | None = None  # period number (1-based) in which the task is done
    silent_weeks: int = 0  # the last N weeks of the run without a report
    pending: int = 1  # how many of the last weeks are not yet accepted


def _task_hash(plan: Plan, task: Task) -> str:
    return hashlib.sha256(f"{plan.slug}:{task.number}".encode()).hexdigest()


def _has_rate_indicator(task: Task) -> bool:
    return any(i.kind != Indicator.Kind.ABSOLUTE for i in task.indicators.all())


def _real_figure(plan: Plan, task: Task) -> RealFigure | None:
    figure = REAL_FIGURES.get(task.number)
    if figure is None or figure.as_of.year != plan.year:
        return None
    if figure.keyword not in _compact(task.text):
        return None
    return figure


def assign_profiles(plan: Plan, tasks: list[Task], periods: list[Period]) -> dict[int, Profile]:
    """A deterministic profile per task: most on schedule, ~15 % lagging, a few silent or done.

    Shares are exact (by a stable hash order), not drawn, so every run and every database
    holding the same plan gets the same distribution.
    """
    n = len(tasks)
    quotas = {
        FINISHER: round(n * 0.05),
        BEHIND: round(n * 0.09),
        SERIOUS: round(n * 0.06),
        SILENT: round(n * 0.04),
    }
    kinds: dict[int, str] = {}
    finish_at: dict[int, int] = {}
    for task in tasks:
        figure = _real_figure(plan, task)
        if figure is not None:
            kinds[task.pk] = FINISHER if figure.finished else ON_TRACK
            if figure.finished:
                finish_at[task.pk] = _period_number(periods, figure.as_of)
    taken = Counter(kinds.values())
    for task in sorted(tasks, key=lambda t: _task_hash(plan, t)):
        if task.pk in kinds:
            continue
        kind = ON_TRACK
        for candidate in (FINISHER, BEHIND, SERIOUS, SILENT):
            if taken[candidate] >= quotas[candidate]:
                continue
            if candidate in (FINISHER, BEHIND, SERIOUS) and _has_rate_indicator(task):
                continue  # growth rates are reported as they stand, they neither lag nor finish
            kind = candidate
            break
        kinds[task.pk] = kind
        taken[kind] += 1

    profiles = {}
    for task in tasks:
        rng = random.Random(f"{plan.slug}:{task.number}:profile")
        kind = kinds[task.pk]
        profile = Profile(kind=kind, final=1.0, shape=1.0, pending=rng.choice((1, 1, 2)))
        if kind in (ON_TRACK, SILENT):
            profile.final = 1.0 if rng.random() < 0.4 else rng.uniform(0.94, 0.99)
            profile.shape = rng.uniform(0.92, 1.05)
            if kind == SILENT:
                profile.silent_weeks = rng.choice((2, 3, 4))
        elif kind == BEHIND:
            profile.final, profile.delay = rng.uniform(0.78, 0.86), rng.uniform(0.12, 0.18)
        elif kind == SERIOUS:
            profile.final, profile.delay = rng.uniform(0.55, 0.65), rng.uniform(0.2, 0.28)
        else:  # FINISHER
            profile.shape = rng.uniform(0.85, 1.1)
            profile.finish = finish_at.get(task.pk) or max(
                1, round(len(periods) * rng.uniform(0.45, 0.85))
            )
        deadline = task.deadline
        if deadline and deadline < datetime.date(plan.year, 12, 24) and kind in (ON_TRACK, SILENT):
            # A task due before the year end is done (and accepted) by its deadline.
            profile.kind, profile.finish = FINISHER, _period_number(periods, deadline)
        profiles[task.pk] = profile
    return profiles


def _period_number(periods: list[Period], day: datetime.date) -> int:
    for number, period in enumerate(periods, 1):
        if period.start <= day <= period.end:
            return number
    return len(periods) if day > periods[-1].end else 1


def _target_percent(profile: Profile, elapsed: float, finish_elapsed: float | None) -> float:
    """The percent the task would show at ``elapsed`` (share of its span, 0..1)."""
    if profile.kind == FINISHER:
        share = min(1.0, elapsed / finish_elapsed) if finish_elapsed else 1.0
        return 100.0 * share**profile.shape
    if profile.kind in (BEHIND, SERIOUS):
        started = max(0.0, (elapsed - profile.delay) / (1 - profile.delay))
        return 100.0 * profile.final * started
    if elapsed >= 1:
        return 100.0 * profile.final
    return min(99.5, 100.0 * profile.final * elapsed**profile.shape)


# --- text helpers ------------------------------------------------------------------------------


def _compact(text: str) -> str:
    """Drop spaces next to Chinese characters ("5G 基站" → "5G基站"), keep them between ASCII."""
    text = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def clauses(text: str) -> list[str]:
    """The task's text cut at clause punctuation, inner quotes turned into single ones."""
    text = _compact(text).replace("“", "‘").replace("”", "’")
    parts = [p.strip() for p in re.split(r"[，。；：！？,;]", text)]
    parts = [p for p in parts if len(p) >= 4]
    return parts or [text.strip("。") or "本项任务"]


def _number(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> str:
    quantum = Decimal(1).scaleb(-places)
    return format(value.quantize(quantum, rounding=rounding), "f")


def _places_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _indicator_places(indicator: Indicator) -> int:
    target_places = max(0, -indicator.target.normalize().as_tuple().exponent)
    if indicator.kind != Indicator.Kind.ABSOLUTE:
        return max(1, target_places)
    if indicator.unit in _COUNT_UNITS:
        return target_places
    return max(2, target_places)


def _context(plan: Plan, day: datetime.date, rng: random.Random) -> str:
    pool = list(_MONTH_CONTEXT[day.month])
    if plan.year == 2022 and day >= datetime.date(2022, 10, 24):
        pool.append(_AFTER_CONGRESS)
    return rng.choice(pool)


def _action(rng: random.Random, pool: list[str], **names) -> str:
    return rng.choice(pool).format(n=rng.randint(1, 3), m=rng.randint(2, 12), **names)


_OUTDOOR = re.compile(r"建设|新建|改造|施工|工程|道路|公路|桥|拆迁|农田|园区|光伏|基站|绿化|河")


def _problem_pool(plan: Plan, day: datetime.date, text: str) -> list[str]:
    pool = list(_PROBLEMS)
    if _OUTDOOR.search(text):  # weather matters only where something is built outdoors
        if day.month in (12, 1, 2):
            pool.append(_WINTER_PROBLEM)
        if day.month in (6, 7, 8):
            pool.append(_SUMMER_PROBLEM)
    if plan.year == 2022 and day.month in (3, 4, 5, 11, 12):
        pool += [_COVID_PROBLEM] * 2
    return pool


# --- generation --------------------------------------------------------------------------------


@dataclass
class ReportSpec:
    task_id: int
    department_id: int
    role: str
    period: Period
    state: str
    progress: str
    problems: str
    next_steps: str
    percent: Decimal | None
    is_late: bool
    submitted_at: datetime.datetime
    values: dict[int, Decimal] = field(default_factory=dict)  # indicator id -> actual
    events: list[tuple[str, datetime.datetime]] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.task_id, self.department_id, self.period.key)


@dataclass
class DemoResult:
    plan: Plan
    periods: list[Period]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped_real: int = 0
    kept_later: int = 0
    as_of: datetime.date | None = None
    statuses: dict[Status, int] = field(default_factory=dict)


def demo_periods(plan: Plan) -> list[Period]:
    """The plan's periods numbered 1..: the ISO week that belongs to the year before is left out."""
    return [p for p in plan_periods(plan.year, plan.cycle) if p.year >= plan.year]


def default_weeks(plan: Plan, today: datetime.date | None = None) -> int:
    """Through the last period of the plan's year; through the current one in the current year."""
    today = today or clock.today()
    periods = demo_periods(plan)
    if today.year > plan.year:
        return len(periods)
    if today.year < plan.year:
        return 0
    current = current_period(plan, today)
    return next((n for n, p in enumerate(periods, 1) if p == current), len(periods))


def demo_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": DEMO_USER_NAME, "is_active": False}
    )
    if created or user.is_active or user.has_usable_password():
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return user


class _Generator:
    def __init__(self, plan: Plan, periods: list[Period], weeks: int, now: datetime.datetime):
        self.plan = plan
        self.periods = periods
        self.weeks = weeks
        self.now = now

    # Which tasks report, and who.
    def tasks(self) -> list[Task]:
        return list(
            self.plan.tasks.prefetch_related("indicators", "unit_links__department").order_by(
                "sort_order"
            )
        )

    def generate(self) -> list[ReportSpec]:
        tasks = [t for t in self.tasks() if self._leads(t)]
        self.profiles = assign_profiles(self.plan, tasks, self.periods)
        self.cooperating = self._cooperating_units(tasks)
        specs: list[ReportSpec] = []
        for task in tasks:
            specs.extend(self._task_reports(task))
        return specs

    @staticmethod
    def _leads(task: Task):
        seen, leads = set(), []
        for link in sorted(task.unit_links.all(), key=lambda u: u.position):
            if link.role == LEAD and link.department_id and link.department_id not in seen:
                seen.add(link.department_id)
                leads.append(link.department)
        return leads

    def _cooperating_units(self, tasks: list[Task]) -> dict[int, object]:
        """One cooperating department for a third of the tasks that name one directly.

        Groups (各镇政府（街道办事处） …) are left out: they are many units, not one. The third is
        exact, chosen by a stable hash order, and the department is drawn per task.
        """
        candidates: dict[int, list] = {}
        for task in tasks:
            lead_ids = {d.pk for d in self._leads(task)}
            units = [
                link.department
                for link in sorted(task.unit_links.all(), key=lambda u: u.position)
                if link.role == COOPERATING
                and link.department_id
                and link.department_id not in lead_ids
            ]
            if units:
                candidates[task.pk] = units
        eligible = sorted(
            (t for t in tasks if t.pk in candidates),
            key=lambda t: hashlib.sha256(
                f"{self.plan.slug}:{t.number}:cooperating".encode()
            ).hexdigest(),
        )
        chosen = {}
        for task in eligible[: round(len(eligible) / 3)]:
            rng = random.Random(f"{self.plan.slug}:{task.number}:cooperating")
            chosen[task.pk] = rng.choice(candidates[task.pk])
        return chosen

    def _span(self, task: Task) -> tuple[datetime.date, datetime.date]:
        start = datetime.date(self.plan.year, 1, 1)
        end = task.deadline or datetime.date(self.plan.year, 12, 31)
        return start, max(start, end)

    def _elapsed(self, task: Task, day: datetime.date) -> float:
        start, end = self._span(task)
        return expected_progress(min(day, end), start, end) / 100

    def _task_reports(self, task: Task) -> list[ReportSpec]:
        plan, profile = self.plan, self.profiles[task.pk]
        leads = self._leads(task)
        cooperating = self.cooperating.get(task.pk)
        figure = _real_figure(plan, task)
        parts = clauses(task.text)
        indicators = list(task.indicators.all())
        figure_index = self._figure_indicators(figure, indicators)
        finish_elapsed = None
        if profile.finish:
            finish_elapsed = self._elapsed(task, self.periods[profile.finish - 1].end)
        jitter = random.Random(f"{plan.slug}:{task.number}:jitter").uniform(0.98, 1.03)

        specs = []
        percent = 0.0
        values: dict[int, Decimal] = {}
        last = self.weeks
        if profile.finish:
            last = min(last, profile.finish)
        for number in range(1, last + 1):
            period = self.periods[number - 1]
            elapsed = self._elapsed(task, period.end)
            rng = random.Random(f"{plan.slug}:{task.number}:{number}:percent")
            target = _target_percent(profile, elapsed, finish_elapsed)
            if profile.finish and number == profile.finish:
                percent = 100.0
            else:
                noisy = target + rng.uniform(-1.2, 1.2) if target > 0 else 0.0
                cap = 100.0 if elapsed >= 1 else 99.5
                percent = max(percent, min(cap, max(0.0, noisy)))
            values = self._values(
                task, indicators, figure, figure_index, period, percent, values, jitter, rng
            )
            if profile.silent_weeks and number > self.weeks - profile.silent_weeks:
                continue
            done = bool(profile.finish and number == profile.finish)
            report_percent = Decimal(str(percent)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            for position, unit in enumerate(leads):
                specs.append(
                    self._lead_report(
                        task,
                        unit,
                        position,
                        period,
                        number,
                        parts,
                        report_percent,
                        values if position == 0 else {},
                        figure if position == 0 else None,
                        indicators if position == 0 else [],
                        figure_index,
                        done,
                    )
                )
            if cooperating is not None:
                specs.append(
                    self._cooperating_report(task, cooperating, leads[0], period, number, parts)
                )
        return specs

    @staticmethod
    def _figure_indicators(figure, indicators) -> dict[int, int]:
        """indicator id -> index into figure.values, for the task's indicators the figure fits."""
        matched: dict[int, int] = {}
        if figure is None:
            return matched
        for indicator in indicators:
            for part, unit, index in figure.indicators:
                if part in indicator.name and indicator.unit in (unit, ""):
                    matched[indicator.pk] = index
                    break
        return matched

    def _figure_values(self, figure: RealFigure, day: datetime.date) -> list[Decimal]:
        start = datetime.date(self.plan.year, 1, 1)
        share = min(1.0, ((day - start).days + 1) / ((figure.as_of - start).days + 1))
        result = []
        for first, final in figure.values:
            a, b = Decimal(first), Decimal(final)
            value = a + (b - a) * Decimal(str(max(0.0, share)))
            places = _places_of(final)
            result.append(Decimal(_number(value, places)))
        return result

    def _values(
        self, task, indicators, figure, figure_index, period, percent, previous, jitter, rng
    ) -> dict[int, Decimal]:
        """Indicator actuals for this period: real figures where known, else from the percent."""
        values: dict[int, Decimal] = {}
        due_day = plan_due_at(self.plan, period).date()
        figures = self._figure_values(figure, due_day) if figure is not None else []
        for indicator in indicators:
            places = _indicator_places(indicator)
            if indicator.pk in figure_index:
                values[indicator.pk] = figures[figure_index[indicator.pk]]
                continue
            target = indicator.target
            if indicator.kind != Indicator.Kind.ABSOLUTE:
                if indicator.comparator == Indicator.Comparator.AT_MOST:
                    share = rng.uniform(0.82, 0.97)
                elif indicator.comparator == Indicator.Comparator.ABOUT:
                    share = rng.uniform(0.95, 1.05)
                else:
                    share = rng.uniform(0.97, 1.12)
                values[indicator.pk] = Decimal(_number(target * Decimal(str(share)), places))
                continue
            if indicator.comparator == Indicator.Comparator.AT_MOST:
                share = min(0.97, percent / 100 * jitter)
                values[indicator.pk] = Decimal(_number(target * Decimal(str(share)), places))
                continue
            share = percent / 100 * (max(1.0, jitter) if percent >= 100 else jitter)
            # Small counts are lumpy (2 villages, 1 library): a task on schedule counts the one
            # under way, a lagging task only what is finished, and never the whole target.
            lagging = self.profiles[task.pk].kind in (BEHIND, SERIOUS)
            value = Decimal(
                _number(target * Decimal(str(share)), places, ROUND_DOWN if lagging else ROUND_UP)
            )
            if lagging and value >= target:
                value = target - Decimal(1).scaleb(-places)
            values[indicator.pk] = max(value, previous.get(indicator.pk, Decimal(0)))
        return values

    # Texts and workflow.
    def _lead_report(
        self,
        task,
        unit,
        position,
        period,
        number,
        parts,
        percent,
        values,
        figure,
        indicators,
        figure_index,
        done,
    ) -> ReportSpec:
        plan, profile = self.plan, self.profiles[task.pk]
        rng = random.Random(f"{plan.slug}:{task.number}:{number}:{unit.name}")
        due = plan_due_at(plan, period)
        word = "本周" if plan.cycle == "weekly" else "本月"
        focus = parts[(number - 1) % len(parts)]
        # Words about lagging only once the task is visibly behind 序时进度.
        gap = self._elapsed(task, period.end) * 100 - float(percent)
        lagging = profile.kind in (BEHIND, SERIOUS) and gap > 5
        sentences = []
        if number == 1:
            sentences.append(
                f"制定年度工作方案，将“{parts[0]}”细化分解为具体任务，明确责任科室和完成时限。"
            )
        elif rng.random() < 0.35:
            sentences.append(_context(plan, due.date(), rng))
        actions = [
            a.format(n=rng.randint(1, 3), m=rng.randint(2, 12)) for a in rng.sample(_ACTIONS, 2)
        ]
        sentences.append(f"围绕“{focus}”，{word}{actions[0]}；{actions[1]}。")
        if figure is not None:
            sentences.append(self._figure_sentence(figure, due.date()))
        shown, names = [], set()
        for indicator in indicators:
            if indicator.pk in figure_index or indicator.pk not in values:
                continue
            if indicator.name not in names and len(shown) < 3:
                shown.append(indicator)
                names.add(indicator.name)
        if shown:
            sentences.append("；".join(self._indicator_text(i, values[i.pk]) for i in shown) + "。")
        if done:
            sentences.append(
                f"经自查，“{parts[0]}”各项目标任务已全面完成，佐证材料已整理归档，申请销号。"
            )
        if percent > 0:
            sentences.append(f"截至目前，累计完成年度任务的{format(percent, 'f')}%。")
        else:
            sentences.append("目前仍处于前期准备阶段，实质性工作尚未全面展开。")
        progress = "".join(sentences)

        problems = ""
        if done:
            pass
        elif lagging and rng.random() < 0.8:
            main = random.Random(f"{plan.slug}:{task.number}:problem").choice(_LAG_PROBLEMS)
            extra = rng.choice(_problem_pool(plan, due.date(), task.text))
            problems = f"{main}；{extra}。" if rng.random() < 0.5 else f"{main}。"
        elif not lagging and rng.random() < 0.35:
            problems = rng.choice(_problem_pool(plan, due.date(), task.text)) + "。"

        next_focus = parts[number % len(parts)]
        if done:
            next_steps = "持续巩固工作成果，建立长效机制，防止问题反弹。"
        elif number == len(self.periods):
            next_steps = f"认真做好全年工作总结，谋划{plan.year + 1}年工作思路和重点任务。"
        elif lagging:
            next_steps = f"针对进度滞后问题，{rng.choice(_CATCH_UP)}；{rng.choice(_NEXT_STEPS)}。"
        else:
            a, b = rng.sample(_NEXT_STEPS, 2)
            next_steps = f"下步将围绕“{next_focus}”，{a}；{b}。"

        return self._spec(
            task,
            unit,
            LEAD,
            period,
            number,
            rng,
            progress,
            problems,
            next_steps,
            percent,
            values,
            accepted=done,
        )

    def _cooperating_report(self, task, unit, lead, period, number, parts) -> ReportSpec:
        plan = self.plan
        rng = random.Random(f"{plan.slug}:{task.number}:{number}:{unit.name}")
        word = "本周" if plan.cycle == "weekly" else "本月"
        focus = parts[(number - 1) % len(parts)]
        action = _action(rng, _COOP_ACTIONS, lead=lead.name)
        progress = f"配合{lead.name}推进“{focus}”，{word}{action}。"
        problems = ""
        if rng.random() < 0.15:
            problems = rng.choice(_PROBLEMS) + "。"
        next_steps = rng.choice(_COOP_NEXT).format(lead=lead.name) + "。"
        return self._spec(
            task, unit, COOPERATING, period, number, rng, progress, problems, next_steps, None, {}
        )

    def _figure_sentence(self, figure: RealFigure, day: datetime.date) -> str:
        numbers = [format(v, "f") for v in self._figure_values(figure, day)]
        text = figure.template.format(*numbers)
        if day >= figure.as_of:
            return f"{figure.label}，{text}{figure.suffix}。"
        return f"截至{day.month}月{day.day}日，{text}。"

    @staticmethod
    def _indicator_text(indicator: Indicator, value: Decimal) -> str:
        shown = format(value.normalize(), "f")
        target = indicator.target_display
        if indicator.kind == Indicator.Kind.GROWTH:
            return f"{indicator.name}增长{shown}{indicator.unit}（目标{target}{indicator.unit}）"
        if indicator.kind == Indicator.Kind.RATE:
            return f"{indicator.name}为{shown}{indicator.unit}（目标{target}{indicator.unit}）"
        return f"{indicator.name}完成{shown}{indicator.unit}（年度目标{target}{indicator.unit}）"

    def _spec(
        self,
        task,
        unit,
        role,
        period,
        number,
        rng,
        progress,
        problems,
        next_steps,
        percent,
        values,
        accepted=False,
    ) -> ReportSpec:
        due = plan_due_at(self.plan, period)
        # Units report through the week, most on the due day; some miss the deadline.
        late_rate = random.Random(f"{self.plan.slug}:{unit.name}:lateness").choice(
            (0.02, 0.04, 0.06, 0.15)
        )
        minutes = datetime.timedelta(minutes=1)
        if rng.random() < late_rate:
            # The evening of the due day, the next working day, or (rarely) the next week.
            offset = rng.choice(((5, 210), (930, 1470), (930, 1470), (5670, 5820)))
            submitted = due + rng.randint(*offset) * minutes
        elif rng.random() < 0.75:
            submitted = due - rng.randint(1, 8 * 60) * minutes  # the due day, office hours
        else:
            submitted = due - rng.randint(23 * 60, 32 * 60) * minutes  # the day before
        submitted = submitted.replace(second=rng.randint(0, 59))
        if submitted > self.now:
            submitted = max(
                self.now - datetime.timedelta(minutes=rng.randint(1, 30)),
                datetime.datetime.combine(period.start, datetime.time(8, 30), tzinfo=due.tzinfo),
            )
        is_late = submitted > due

        pending = self.profiles[task.pk].pending
        if accepted or number <= self.weeks - pending:
            state = State.ACCEPTED
        else:
            state = State.SUBMITTED if rng.random() < 0.55 else State.APPROVED
        events = [(Action.SUBMITTED, submitted)]
        moment = submitted
        if state == State.APPROVED or (state == State.ACCEPTED and rng.random() < 0.5):
            moment = moment + datetime.timedelta(minutes=rng.randint(30, 20 * 60))
            events.append((Action.APPROVED, moment))
        if state == State.ACCEPTED:
            moment = moment + datetime.timedelta(minutes=rng.randint(2 * 60, 48 * 60))
            events.append((Action.ACCEPTED, moment))
        # Nothing happens after "now": a decision not yet due leaves the report where it is.
        while len(events) > 1 and events[-1][1] > self.now:
            events.pop()
            state = State.APPROVED if events[-1][0] == Action.APPROVED else State.SUBMITTED
        return ReportSpec(
            task_id=task.pk,
            department_id=unit.pk,
            role=role,
            period=period,
            state=state,
            progress=progress,
            problems=problems,
            next_steps=next_steps,
            percent=percent,
            is_late=is_late,
            submitted_at=submitted,
            values=dict(values),
            events=events,
        )


# --- writing -----------------------------------------------------------------------------------

_COMPARED = (
    "role",
    "period_start",
    "period_end",
    "state",
    "progress",
    "problems",
    "next_steps",
    "percent",
    "is_late",
    "submitted_at",
    "return_reason",
)


def _fields(spec: ReportSpec) -> dict:
    return {
        "role": spec.role,
        "period_start": spec.period.start,
        "period_end": spec.period.end,
        "state": spec.state,
        "progress": spec.progress,
        "problems": spec.problems,
        "next_steps": spec.next_steps,
        "percent": spec.percent,
        "is_late": spec.is_late,
        "submitted_at": spec.submitted_at,
        "return_reason": "",
    }


def _snapshot(spec: ReportSpec, names: dict[int, str]) -> dict:
    """The same snapshot a real submission keeps (reporting.snapshot_of)."""
    return snapshot_of(
        progress=spec.progress,
        problems=spec.problems,
        next_steps=spec.next_steps,
        percent=spec.percent,
        values={names[i]: actual for i, actual in spec.values.items()},
        attachments=[],
        is_late=spec.is_late,
    )


@transaction.atomic
def generate_demo(
    plan: Plan, *, weeks: int | None = None, reset: bool = False, now=None
) -> DemoResult:
    """Write the plan's demo reports for periods 1..weeks, in one transaction."""
    now = now or clock.now()
    periods = demo_periods(plan)
    if weeks is None:
        weeks = default_weeks(plan, timezone.localtime(now).date())
    if not 0 <= weeks <= len(periods):
        raise ValueError(f"{plan.year}年共{len(periods)}期，期数应在 1–{len(periods)} 之间")
    result = DemoResult(plan=plan, periods=periods[:weeks])
    revision.bump()  # bulk_create and update() send no signals
    user = demo_user()
    demo_rows = ProgressReport.objects.filter(task__plan=plan, is_demo=True)
    if reset:
        result.deleted += demo_rows.delete()[1].get(ProgressReport._meta.label, 0)
    if weeks == 0:
        return result

    specs = _Generator(plan, periods, weeks, now).generate()
    keys = {p.key for p in periods[:weeks]}
    existing = {
        (r.task_id, r.department_id, r.period_key): r
        for r in ProgressReport.objects.filter(task__plan=plan, period_key__in=keys)
    }
    existing_values: dict[int, dict[int, Decimal]] = {}
    for value in IndicatorValue.objects.filter(
        report__task__plan=plan, report__is_demo=True, report__period_key__in=keys
    ):
        existing_values.setdefault(value.report_id, {})[value.indicator_id] = value.actual

    to_create: list[tuple[ProgressReport, ReportSpec]] = []
    to_update: list[tuple[ProgressReport, ReportSpec]] = []
    wanted = set()
    for spec in specs:
        wanted.add(spec.key)
        report = existing.get(spec.key)
        if report is None:
            report = ProgressReport(
                task_id=spec.task_id,
                department_id=spec.department_id,
                period_key=spec.period.key,
                version=1,
                created_by=user,
                updated_by=user,
                is_demo=True,
                **_fields(spec),
            )
            to_create.append((report, spec))
        elif not report.is_demo:
            result.skipped_real += 1
        elif _unchanged(report, spec, existing_values.get(report.pk, {}), user):
            result.unchanged += 1
        else:
            for name, value in _fields(spec).items():
                setattr(report, name, value)
            report.updated_by = user
            to_update.append((report, spec))

    stale = [r.pk for key, r in existing.items() if r.is_demo and key not in wanted]
    if stale:
        result.deleted += (
            ProgressReport.objects.filter(pk__in=stale)
            .delete()[1]
            .get(ProgressReport._meta.label, 0)
        )
    result.kept_later = demo_rows.exclude(period_key__in=keys).count()

    ProgressReport.objects.bulk_create([r for r, _ in to_create], batch_size=500)
    if to_update:
        ProgressReport.objects.bulk_update(
            [r for r, _ in to_update], [*_COMPARED, "updated_by"], batch_size=500
        )
        updated_ids = [r.pk for r, _ in to_update]
        ReportEvent.objects.filter(report_id__in=updated_ids).delete()
        IndicatorValue.objects.filter(report_id__in=updated_ids).delete()
    result.created, result.updated = len(to_create), len(to_update)
    # Dated as written in the plan year, not today (auto_now fields, hence a separate update).
    demo_rows.filter(period_key__in=keys).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )

    names = dict(Indicator.objects.filter(task__plan=plan).values_list("pk", "name"))
    events, values = [], []
    for report, spec in [*to_create, *to_update]:
        snapshot = _snapshot(spec, names)
        for action, at in spec.events:
            events.append(
                ReportEvent(
                    report_id=report.pk,
                    action=action,
                    actor=user,
                    at=at,
                    snapshot=snapshot if action == Action.SUBMITTED else {},
                )
            )
        for indicator_id, actual in spec.values.items():
            values.append(
                IndicatorValue(report_id=report.pk, indicator_id=indicator_id, actual=actual)
            )
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    IndicatorValue.objects.bulk_create(values, batch_size=1000)

    last = periods[weeks - 1]
    result.as_of = min(last.end, datetime.date(plan.year, 12, 31), timezone.localtime(now).date())
    counts = Counter(state.status for state in task_states(plan, result.as_of).values())
    result.statuses = {status: counts.get(status, 0) for status in Status}
    return result


def _unchanged(report: ProgressReport, spec: ReportSpec, values: dict, user) -> bool:
    fields = _fields(spec)
    if any(getattr(report, name) != fields[name] for name in _COMPARED):
        return False
    if report.created_by_id != user.pk or report.updated_by_id != user.pk:
        return False
    return values == spec.values
