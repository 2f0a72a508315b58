"""The weekly roll-up of every plan in the province database, on real Celery workers.

    .venv/bin/python benchmarks/rollup_bench.py [--db dudu_province_bench] [--concurrency 2]
        [--period 2022-W52] [--redis redis://127.0.0.1:6379/4] [--timeout 3600]

Starts one Celery worker (prefork, --concurrency processes; Redis broker, its queue purged
first) on the database benchmarks/province.py built, sends reports.jobs.roll_up_all_plans to
it (which fans out one roll_up_week per active plan: snapshot + workbook, rollup.produce),
waits until every ReportJob it made is done or failed, and prints: total wall time (from the
send to the last workbook), per-plan time (the job's started_at → finished_at: min, median,
max), throughput, failures, and the resident memory of each worker process at the end.
AS_OF_DATE=2022-12-28. The workbooks go to a temp VAR_DIR, deleted after the run.
"""

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AS_OF = "2022-12-28"


def log(message: str) -> None:
    print(f"[rollup {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", default="dudu_province_bench")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--period", default="2022-W52")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dudu-rollup-"))
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        REDIS_URL=args.redis,
        AS_OF_DATE=AS_OF,
        VAR_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=os.urandom(48).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    import django

    django.setup()
    from reports.jobs import roll_up_all_plans
    from reports.models import ReportJob
    from tasks.models import Plan

    worker = None
    try:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
             "--concurrency", str(args.concurrency), "--loglevel", "WARNING", "--purge",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=os.environ.copy(), stdout=(tmp / "worker.log").open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        time.sleep(8)  # the worker's processes start and connect
        plans = Plan.objects.filter(is_active=True).count()
        before = ReportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        log(f"{plans} active plans; sending roll_up_all_plans({args.period}) to the worker …")
        sent = datetime.datetime.now(datetime.UTC)
        t0 = time.monotonic()
        roll_up_all_plans.delay(args.period)
        peak = {}
        while time.monotonic() - t0 < args.timeout:
            jobs = ReportJob.objects.filter(pk__gt=before)
            done = jobs.filter(state__in=[ReportJob.State.DONE, ReportJob.State.FAILED]).count()
            for pid in [worker.pid, *children(worker.pid)]:
                peak[pid] = max(peak.get(pid, 0), rss_mib(pid))
            if jobs.count() == plans and done == plans:
                break
            if worker.poll() is not None:
                raise RuntimeError("the worker exited; see its log")
            time.sleep(1)
        wall = time.monotonic() - t0
        rows = list(
            ReportJob.objects.filter(pk__gt=before).values_list(
                "state", "started_at", "finished_at"
            )
        )
        finished = [r for r in rows if r[0] == ReportJob.State.DONE]
        per_plan = [(f - s).total_seconds() for _, s, f in finished]
        last = max((f for _, _, f in finished), default=sent)
        print()
        print(
            f"weekly roll-up of {len(rows)} plans ({args.period}), {args.db}, one Celery "
            f"worker with {args.concurrency} prefork processes, Redis broker (2 shared cores)"
        )
        print(f"  total wall time: {(last - sent).total_seconds():.1f} s (polled: {wall:.1f} s)")
        if per_plan:
            print(
                f"  per plan: min {min(per_plan):.2f} s, median {statistics.median(per_plan):.2f}"
                f" s, max {max(per_plan):.2f} s; {len(finished) / wall * 60:.0f} plans/min"
            )
        print(f"  done {len(finished)}, failed {len(rows) - len(finished)} of {plans}")
        print("  worker processes' peak RSS: " + ", ".join(f"{v:.0f} MiB" for v in peak.values()))
        return 0 if len(finished) == plans else 1
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, 9)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
