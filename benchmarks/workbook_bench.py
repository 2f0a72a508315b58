"""Benchmark of the weekly 督查 workbook writer (reports.workbook.build_workbook).

Run from the repository root:  .venv/bin/python benchmarks/workbook_bench.py [--repeat N]

Cases, each measured in fresh subprocesses so that memory peaks do not mix:
  (a) plan2022  a WorkbookData shaped like the 2022 plan: 8 sections, 146 tasks, ~70 units,
                11 leaders, Chinese text of realistic length;
  (b) synth10k  10,000 tasks in 100 sections, 300 units, 50 leaders, 1,000 changes;
  (c) bare10k   the floor: a bare openpyxl write-only write of (b)'s 总表 grid (same values,
                no styles, no neutralising, no other sheets).
Per case: wall time of the write (median and best of N runs; the data is built beforehand and
not timed) and its median CPU time (steadier on a shared machine), tracemalloc peak of one write (in its own process: tracemalloc slows code down), and
ru_maxrss growth during the write. Targets: (a) < 1 s; (b) within 1.5x of (c) and < 200 MB peak.
The writer is XlsxWriter (common.xlsx_book), the floor stays openpyxl's write-only mode.
"""

import argparse
import datetime
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from reports.workbook import MAIN_HEADERS, build_workbook, generated_label  # noqa: E402
from reports.workbook_data import (  # noqa: E402
    Change,
    LeaderSummary,
    MissingUnit,
    SectionBlock,
    TaskRow,
    UnitSummary,
    WorkbookData,
)

LABELS = ["已办结", "序时推进", "滞后", "严重滞后", "未报送", "未启动"]
LIGHTS = {
    "已办结": "green",
    "序时推进": "green",
    "滞后": "yellow",
    "严重滞后": "red",
    "未报送": "grey",
    "未启动": "grey",
}
STATUSES = {
    "已办结": "done",
    "序时推进": "on_schedule",
    "滞后": "behind",
    "严重滞后": "seriously_behind",
    "未报送": "not_reported",
    "未启动": "not_started",
}
PHRASES = (
    "深入贯彻落实党中央、国务院决策部署",
    "坚持稳中求进工作总基调",
    "加快推进重点项目建设",
    "全年完成固定资产投资",
    "持续优化营商环境",
    "推动高质量发展",
    "实施城市更新行动",
    "完成老旧小区改造",
    "新建改建城市道路",
    "加强生态环境保护",
    "打好污染防治攻坚战",
    "巩固拓展脱贫攻坚成果",
    "全面推进乡村振兴",
    "扎实做好就业、教育、医疗等民生保障",
    "已完成年度目标任务的",
    "截至目前，累计完成投资",
    "项目前期手续正在办理中",
    "受疫情影响，部分工程进度放缓",
    "资金缺口较大，土地要素保障不足",
    "下一步将加大协调调度力度",
    "倒排工期、挂图作战，确保按期完成",
    "召开专题会议研究部署",
    "组织开展督导检查",
    "积极争取上级专项资金",
    "建立健全长效工作机制",
    "推进数字政府建设",
    "提升政务服务效能",
    "加强安全生产监管",
    "强化应急管理能力建设",
    "落实减税降费政策",
)
SECTION_TITLES = (
    "一、主要预期目标",
    "二、坚持创新驱动，加快新旧动能转换",
    "三、坚持项目为王，扩大有效投资",
    "四、坚持城乡统筹，推进城市更新",
    "五、坚持绿色发展，加强生态保护",
    "六、坚持改革开放，优化营商环境",
    "七、坚持民生优先，增进人民福祉",
    "八、加强政府自身建设",
)
SURNAMES = "张王李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "娅兆华伟明强军平建国海涛丽静敏磊洋勇艳杰"
NUMERALS = "一二三四五六七八九十"


def sentence(rng: random.Random, length: int) -> str:
    """Chinese text of about `length` characters made of plausible phrases."""
    parts, size = [], 0
    while size < length:
        phrase = rng.choice(PHRASES)
        if rng.random() < 0.3:
            phrase += f"{rng.randint(1, 999)}{rng.choice(('亿元', '个', '公里', '%', '项'))}"
        parts.append(phrase)
        size += len(phrase) + 1
    return ("，".join(parts))[:length].rstrip("，") + "。"


def make_data(
    *, sections: int, tasks: int, units: int, leaders: int, changes: int, seed: int = 2022
) -> WorkbookData:
    rng = random.Random(seed)
    unit_names = [f"区{sentence(rng, rng.randint(3, 8))[:-1]}局{i}" for i in range(units)]
    leader_names = [
        rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) + str(i)
        for i in range(leaders)
    ]
    per_section = [tasks // sections + (1 if i < tasks % sections else 0) for i in range(sections)]
    blocks, all_rows = [], []
    for index, count in enumerate(per_section):
        if sections <= len(SECTION_TITLES):
            title = SECTION_TITLES[index]
        else:
            title = f"{NUMERALS[index % 10]}、{sentence(rng, 14)[:-1]}（{index + 1}）"
        rows = []
        for position in range(count):
            label = rng.choices(LABELS, weights=(10, 55, 15, 5, 10, 5))[0]
            completion = None if label in ("未报送", "未启动") else round(rng.uniform(0, 100), 1)
            lead = rng.sample(unit_names, 1)
            cooperating = rng.sample(unit_names, rng.randint(1, 4))
            reporting = "；".join(
                f"{name} {rng.choice(('已采纳', '逾期报送', '未报送'))}"
                for name in lead + cooperating
            )
            rows.append(
                TaskRow(
                    number=f"{index + 1}({position + 1})",
                    text=sentence(rng, rng.randint(90, 150)),
                    lead_leaders="、".join(rng.sample(leader_names, rng.randint(1, 2))),
                    lead_units="、".join(lead),
                    cooperating_units="、".join(cooperating),
                    progress=sentence(rng, rng.randint(150, 250)),
                    problems=sentence(rng, rng.randint(40, 80)) if rng.random() < 0.7 else "",
                    next_steps=sentence(rng, rng.randint(40, 80)),
                    completion=completion,
                    expected=38.9,
                    status=STATUSES[label],
                    status_label=label,
                    light=LIGHTS[label],
                    reporting=reporting,
                )
            )
        blocks.append(SectionBlock(title, rows))
        all_rows += rows

    def short(row):
        return f"{row.number} {row.text[:30]}…"

    lagging = {id(r) for r in all_rows if r.status in ("behind", "seriously_behind")}
    by_leader, by_unit = {}, {}
    for r in all_rows:
        for name in r.lead_leaders.split("、"):
            by_leader.setdefault(name, []).append(r)
        by_unit.setdefault(r.lead_units, []).append(r)
    leader_list = []
    for name in leader_names:
        led = by_leader.get(name, [])
        counts = {label: sum(r.status_label == label for r in led) for label in LABELS}
        late = [f"{short(r)}（{r.status_label}）" for r in led if id(r) in lagging]
        leader_list.append(LeaderSummary(name, counts, late))
    unit_list, missing = [], []
    for name in unit_names:
        led = by_unit.get(name, [])
        due = len(led) + rng.randint(0, 5)
        on_time = rng.randint(0, due)
        late = rng.randint(0, due - on_time)
        unreported = due - on_time - late
        rate = round((on_time + late) * 100 / due, 1) if due else 0.0
        unit_list.append(
            UnitSummary(
                name,
                len(led),
                rng.randint(0, 30),
                due,
                on_time,
                late,
                unreported,
                rate,
                [short(r) for r in led if id(r) in lagging],
            )
        )
        if unreported:
            missing.append(MissingUnit(name, [short(r) for r in led[:unreported]] or ["—"]))
    change_list = [
        Change(
            r.number,
            r.text,
            rng.choice(LABELS),
            r.status_label,
            r.problems[:60] if rng.random() < 0.5 else "",
        )
        for r in rng.sample(all_rows, min(changes, len(all_rows)))
    ]
    return WorkbookData(
        title="2022年区政府工作报告重点工作任务推进情况周报",
        period_label="第20周（5月16日—5月22日）",
        generated_at=datetime.datetime(2022, 5, 20, 18, 0),
        sections=blocks,
        leaders=leader_list,
        units=unit_list,
        missing=missing,
        changes=change_list,
    )


CASES = {
    "plan2022": dict(sections=8, tasks=146, units=70, leaders=11, changes=20),
    "synth10k": dict(sections=100, tasks=10_000, units=300, leaders=50, changes=1_000),
    "bare10k": dict(sections=100, tasks=10_000, units=300, leaders=50, changes=1_000),
}


def bare_write(data: WorkbookData, path: Path) -> None:
    """The floor: (b)'s 总表 grid through openpyxl write-only mode, no styles, plain save."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("总表")
    sheet.append([data.title])
    sheet.append([data.period_label])
    sheet.append([generated_label(data)])
    sheet.append(list(MAIN_HEADERS))
    for section in data.sections:
        sheet.append([section.title])
        for r in section.rows:
            sheet.append(
                [
                    r.number,
                    r.text,
                    r.lead_leaders,
                    r.lead_units,
                    r.cooperating_units,
                    r.progress,
                    r.problems,
                    r.next_steps,
                    r.completion,
                    r.status_label,
                    r.reporting,
                ]
            )
    workbook.save(path)


def writer_for(case: str):
    return bare_write if case == "bare10k" else build_workbook


def maxrss_bytes() -> int:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def child(case: str, mode: str, repeat: int) -> dict:
    """Run inside a fresh process: build the data, then measure the write."""
    data = make_data(**CASES[case])
    write = writer_for(case)
    gc.collect()
    result = {"tasks": sum(len(s.rows) for s in data.sections)}
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as folder:
        path = Path(folder) / "weekly.xlsx"
        if mode == "memory":
            tracemalloc.start()
            write(data, path)
            result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            before = result["maxrss_data"] = maxrss_bytes()
            times, cpu = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                write(data, path)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            result["maxrss_delta"] = maxrss_bytes() - before
            result["times"] = times
            result["cpu"] = cpu
            result["size"] = path.stat().st_size
    return result


def run_child(case: str, mode: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--child", case, "--mode", mode, "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        sys.exit(f"{case}/{mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def mib(n: float) -> str:
    return f"{n / 2**20:7.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=0, help="timed runs per case")
    parser.add_argument("--child", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument(
        "--mode", choices=("time", "memory"), default="time", help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.mode, max(args.repeat, 1))))
        return

    import openpyxl
    import xlsxwriter

    print(
        f"python {sys.version.split()[0]}, xlsxwriter {xlsxwriter.__version__}, "
        f"openpyxl {openpyxl.__version__} (the floor), "
        f"lxml {'yes' if openpyxl.LXML else 'no'}, cpu count {os.cpu_count()}"
    )
    print(
        f"{'case':9} {'tasks':>6} {'median':>8} {'best':>8} {'cpu':>8} {'runs':>4} "
        f"{'tracemalloc peak':>16} {'maxrss delta':>14} {'file':>11}"
    )
    results = {}
    for case in CASES:
        repeat = args.repeat or (7 if case == "plan2022" else 3)
        timed = run_child(case, "time", repeat)
        memory = run_child(case, "memory", 1)
        times = timed["times"]
        results[case] = {
            **timed,
            **memory,
            "median": statistics.median(times),
            "cpu_median": statistics.median(timed["cpu"]),
        }
        print(
            f"{case:9} {timed['tasks']:>6} {statistics.median(times):>7.3f}s {min(times):>7.3f}s "
            f"{statistics.median(timed['cpu']):>7.3f}s {len(times):>4} {mib(memory['tracemalloc_peak']):>16} "
            f"{mib(timed['maxrss_delta']):>14} {timed['size'] / 1024:>7.0f} KiB"
        )
    a, b, c = results["plan2022"], results["synth10k"], results["bare10k"]
    ratio = b["median"] / c["median"]
    peak = max(b["tracemalloc_peak"], b["maxrss_delta"])
    print(
        f"(process high-water mark with the 10,000-task WorkbookData built, before writing: "
        f"{mib(b['maxrss_data']).strip()})"
    )
    print()
    print(f"(a) 2022 workbook: {a['median']:.3f} s (target < 1 s): {ok(a['median'] < 1)}")
    cpu_ratio = b["cpu_median"] / c["cpu_median"]
    # Both: wall time is what a user waits, CPU time is steadier on a shared machine.
    print(
        f"(b)/(c) time ratio: {ratio:.2f}x wall: {ok(ratio <= 1.5)}, {cpu_ratio:.2f}x cpu: "
        f"{ok(cpu_ratio <= 1.5)} (target <= 1.5x)"
    )
    print(
        f"(b) peak memory: tracemalloc {mib(b['tracemalloc_peak']).strip()}, "
        f"ru_maxrss delta {mib(b['maxrss_delta']).strip()} (target < 200 MB): "
        f"{ok(peak < 200 * 10**6)}"
    )


def ok(flag: bool) -> str:
    return "OK" if flag else "MISSED"


if __name__ == "__main__":
    main()
