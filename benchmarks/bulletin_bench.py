"""Benchmark of the 督查通报 writer (reports.bulletin + reports.bulletin_doc + common.docx).

Run from the repository root:  .venv/bin/python benchmarks/bulletin_bench.py [--repeat N]

Cases:
  (a) plan2022   the 2022 bulletin of week 20, end to end: the period overview from the
                 database (a scratch SQLite database set up with `manage.py setup`: the 2022
                 plan and 19 weeks of demo reports, as if today were 2022-05-18), the content,
                 and the .docx written to disk — what the job does. Target: < 1 s.
  (a') write2022 only the .docx write of (a)'s content.
  (b) synth10k   a plan of 10,000 tasks: 3,000 lagging rows, 4,000 indicators, 300 units named
                 in 报送情况 (no database: the content is built in memory, the write is timed).
Per case: median and best wall time of N runs. The setup of (a) is not timed.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(function, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs)


def synthetic_content(tasks: int = 10_000):
    from reports.bulletin import BulletinContent, IndicatorLine, LaggingLine, StatusCount, UnitLine

    lagging = [
        LaggingLine(
            number=str(i),
            task=f"推进重点项目建设第{i}项，加快形成实物工作量，确保按期竣工投产…",
            leaders="张娅、刘兆华",
            units="区发展和改革局、区住房和城乡建设局",
            completion=float(i % 40),
            expected=38.4,
            status_label="滞后",
            problems="土地指标不足，资金尚未到位，前期手续办理进度偏慢…",
        )
        for i in range(1, 3001)
    ]
    indicators = [
        IndicatorLine(
            str(i), f"指标{i}", "不低于 100 个", str(i % 100), float(i % 100), 38.4, i % 3 == 0
        )
        for i in range(1, 4001)
    ]
    units = [UnitLine(f"第{i}单位", i % 9 + 1) for i in range(300)]
    return BulletinContent(
        masthead="东昌府区政府工作报告重点任务督查通报",
        number=20,
        issuer="东昌府区人民政府办公室",
        date_text="2022年5月23日",
        title="关于2022年第20周重点任务推进情况的通报",
        period_label="2022年第20周",
        as_of=datetime.date(2022, 5, 22),
        total=tasks,
        statuses=[StatusCount("序时推进", 7000, 70.0), StatusCount("滞后", 3000, 30.0)],
        due=30_000,
        received=27_000,
        late=1000,
        missing=3000,
        rate=90.0,
        indicators=indicators,
        lagging=lagging,
        late_units=units[:100],
        missing_units=units,
        lagging_units=units[:10],
        requirements="各牵头单位要对照年度目标任务和序时进度，逐项梳理滞后事项。",
        copy_to="区委办公室",
        send_to="区政府领导",
    )


def case_2022(repeat: int) -> None:
    import django

    django.setup()
    from reports.bulletin import build_content, bulletin_period
    from reports.bulletin_doc import write_bulletin
    from tasks.models import Plan

    plan = Plan.objects.get(year=2022)
    period = bulletin_period(plan, "weekly", "2022-W20")
    target = Path(os.environ["VAR_DIR"]) / "bulletin.docx"

    def content():
        return build_content(plan, period, masthead="东昌府区政府工作报告重点任务督查通报",
                             issuer="东昌府区人民政府办公室", number=20,
                             issued_on=datetime.date(2022, 5, 23))  # fmt: skip

    def end_to_end():
        write_bulletin(content(), target)

    built = content()
    median, best = timed(end_to_end, repeat)
    print(f"(a)  plan2022 end to end : median {median:.3f} s, best {best:.3f} s "
          f"({built.total} tasks, {len(built.lagging)} lagging, {len(built.indicators)} indicators, "
          f"{target.stat().st_size // 1024} KB)")  # fmt: skip
    median, best = timed(lambda: write_bulletin(built, target), repeat)
    print(f"(a') write2022 docx only : median {median:.3f} s, best {best:.3f} s")
    print(f"     first paragraph: {built.summary}")


def case_10k(repeat: int) -> None:
    import django

    django.setup()  # the content classes sit beside Django code; no query is made
    from reports.bulletin_doc import write_bulletin

    content = synthetic_content()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "synth.docx"
        median, best = timed(lambda: write_bulletin(content, target), repeat)
        size = target.stat().st_size // 1024
    print(f"(b)  synth10k docx write : median {median:.3f} s, best {best:.3f} s "
          f"(3,000 lagging rows, 4,000 indicators, {size} KB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--case", choices=["2022", "10k"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case == "2022":
        return case_2022(args.repeat)
    if args.case == "10k":
        return case_10k(args.repeat)
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": var,
               "DATABASE_URL": f"sqlite:///{var}/bench.sqlite3", "REDIS_URL": "",
               "AS_OF_DATE": "2022-05-18", "LOG_LEVEL": "WARNING"}  # fmt: skip
        print("setting up a scratch database with the 2022 plan and demo reports …", flush=True)
        subprocess.run([sys.executable, "manage.py", "setup"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        for case in ("2022", "10k"):
            subprocess.run([sys.executable, __file__, "--case", case, "--repeat",
                            str(args.repeat)], cwd=ROOT, env=env, check=True)  # fmt: skip


if __name__ == "__main__":
    main()
