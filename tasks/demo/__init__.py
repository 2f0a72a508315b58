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

The figures and the phrases are data (``fixtures/demo/``); the code is ``figures`` and
``phrases`` (reading them), ``profiles`` (how each task goes over the year), ``generator``
(percents and indicator values per task and week), ``texts`` (the report texts and their
workflow) and ``writer`` (writing the rows).
"""

from .figures import REAL_FIGURES, RealFigure
from .generator import ReportSpec
from .phrases import clauses
from .profiles import Profile, assign_profiles
from .writer import (
    DEMO_USER_NAME,
    DEMO_USERNAME,
    DemoResult,
    default_weeks,
    demo_periods,
    demo_user,
    generate_demo,
)

__all__ = [
    "DEMO_USERNAME",
    "DEMO_USER_NAME",
    "REAL_FIGURES",
    "DemoResult",
    "Profile",
    "RealFigure",
    "ReportSpec",
    "assign_profiles",
    "clauses",
    "default_weeks",
    "demo_periods",
    "demo_user",
    "generate_demo",
]
