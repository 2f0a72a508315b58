"""Every target of issue 15, as ratios measured in one run, with PASS/FAIL.

    .venv/bin/python benchmarks/targets.py [--repeat 3] [--requests 30] [--seconds 10]
                                           [--changes 3] [--no-load] [--json OUT]
                                           [--redmine http://127.0.0.1:3025
                                            [--redmine-user bench] [--redmine-password PW]]

The single-district database as load.py builds it (scratch `dudu_bench_<random>`: `manage.py
setup`, the 2022 plan and 19 weeks of demo reports, AS_OF_DATE=2022-05-18, production
settings, load accounts), one gunicorn with load.py's flags (3 sync workers), then:

1. c=1 p50 (median of --requests one at a time) and c=10 p95 (wrk, 10 connections,
   --seconds) of the floor (`/__floor__`: a logged-in request that does nothing) and of each
   page of the issue's table: task list (first 50 of 146), 我的任务, office dashboard, task
   page with about 19 reports and with the most reports, leader portfolio; --repeat rounds,
   medians, and the logged-in floor (the same view with a session: the issue's 4.35 ms).
   Targets: c=1 p50 ≤ 20× the bare floor's c=1 p50 (the issue's 0.60 ms); ≥ 5× faster than
   Redmine's counterpart at c=1 p50 and at c=10 p95. Without --redmine the counterparts are
   the issue's reference figures (REDMINE below: c=1 p50 only, so c=10 p95 is not judged);
   with --redmine URL (benchmarks/redmine/: setup.sh, load_tasks.py) a running Redmine is
   measured in this run by benchmarks/redmine_pages.py, after the app's gunicorn has stopped,
   with the same client, --requests, --seconds, --repeat and wrk flags, and both are judged;
2. the first request after a data change (a unit submits this week's report: the data
   revision moves) on dashboard, portfolio and 我的任务: the page is fetched until every worker
   has served it once (the X-Worker header, benchmarks/load/worker_header.py); the slowest of
   those first requests ≤ 2× a warm one ("once for all workers, not once per worker"), warm
   being the control: the same requests after a pause as long as the submission took, with
   nothing changed (an idle process here serves its next request 2-3x slower than back to
   back, change or not: first_after_change); the ratio to the c=1 p50 is printed too;
   --changes changes per page, median;
3. queries per page (benchmarks/load/query_counts.py), for the record;
4. benchmarks/load.py in a subprocess (its own scratch database, about 6 minutes; --no-load
   skips it): both readings p95 < 300 ms for every page, and the stress reading's pages/s ÷
   the floor's req/s in the same run (printed, for comparing machines; no target value).
Exit status 0 when every target passes. On a shared machine read the ratios, not the ms.
"""

import argparse
import json
import secrets
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

from benchmarks import redmine_pages as rp  # noqa: E402
from benchmarks.load import bench_server as bs  # noqa: E402

load = bs.load
AS_OF = "2022-05-18"
FLOOR_FACTOR = 20.0
REDMINE_FACTOR = 5.0
FIRST_FACTOR = 2.0
# Redmine 5 (Debian's package, SQLite, puma) beside the app on these 2 cores, c=1 p50 in ms,
# with the same 146 tasks. Source: issue 15's table ("Fast at any size"). The issue gives no
# c=10 p95 figure per page for Redmine (only "the app's tail latency under 10 concurrent
# requests beats Redmine's by 2-25x"): those cells stay None; --redmine URL measures them.
REDMINE = {
    # page: (c=1 p50, c=10 p95, what Redmine served)
    "task_list": (90.4, None, "issues list, 25 rows (132 ms for 100 rows)"),
    "mine": (57.6, None, "/my/page"),
    "dashboard": (37.3, None, "project overview"),
    "task_small": (98.5, None, "an issue with 10 notes"),
    "task_large": (98.5, None, "an issue with 10 notes"),
}
PAGES = ("task_list", "mine", "dashboard", "task_small", "task_large", "portfolio", "floor")
AFTER_CHANGE = ("dashboard", "portfolio", "mine")


def log(message: str) -> None:
    print(f"[targets {bs.stamp()}] {message}", file=sys.stderr, flush=True)


def submit_week(session) -> None:
    """The unit submits this week's report on its task: a change that moves the figures."""
    status, _, body, _ = session.request("GET", session.report_path)
    token, version = load.CSRF_RE.search(body), load.VERSION_RE.search(body)
    if status != 200 or not token or not version:
        raise RuntimeError(f"{session.username}: report form not editable ({status})")
    form = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "version": version.group(1).decode(),
        "progress": load.DRAFT_TEXT,
        "problems": "无。",
        "next_steps": "下周继续推进。",
        "percent": "45",
        "action": "submit",
    }
    status, _, _, _ = session.request("POST", session.report_path, form)
    if status != 302:
        raise RuntimeError(f"{session.username}: submit gave {status}")


def every_worker_first(port, rows, workers: int) -> tuple[float, int]:
    """(slowest first request of a worker, number of workers seen): requests one at a time
    until every worker has served one (the X-Worker header), at most 30 per worker."""
    firsts = {}
    for i in range(30 * workers):
        ms, headers = bs.get(port, *rows[i % len(rows)])
        firsts.setdefault(headers.get("X-Worker"), ms)
        if len(firsts) == workers:
            break
    return max(firsts.values()), len(firsts)


def first_after_change(port, rows, submitter, workers: int) -> dict:
    """Every worker's first request after a unit's submission, and the control: the same
    requests after a pause as long as the submission took, with no change. On these machines
    a process that sat idle for a few hundred ms serves its next request 2-3x slower whatever
    it does (CPU ms of the same dashboard in one process, no change: 4.0 back to back, 7-13
    after a 0.05-1 s sleep; 2026-12-02), and the other workers sit idle while the writer's
    request runs (about 400 ms): the control tells that apart from what the change costs."""
    t0 = time.monotonic()
    submit_week(submitter)
    gap = time.monotonic() - t0
    first_ms, seen = every_worker_first(port, rows, workers)
    for _ in range(3):  # settle, then the control
        bs.get(port, *rows[0])
    time.sleep(gap)
    idle_ms, idle_seen = every_worker_first(port, rows, workers)
    return {"first": first_ms, "seen": seen, "idle": idle_ms, "idle_seen": idle_seen, "gap": gap}


def run_load(args, tmp: Path) -> dict | None:
    if args.no_load:
        return None
    out = tmp / "load.json"
    log("benchmarks/load.py (its own scratch database, ~6 min) …")
    done = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--json", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if not out.exists():
        print(done.stdout[-3000:])
        raise RuntimeError("load.py wrote no results")
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30, help="c=1 requests per page")
    parser.add_argument("--seconds", type=int, default=10, help="c=10 seconds per page")
    parser.add_argument("--changes", type=int, default=3, help="changes per page (first request)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-load", action="store_true", help="skip benchmarks/load.py")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--redmine", metavar="URL", help="measure this Redmine in the run")
    parser.add_argument("--redmine-user", default="bench")
    parser.add_argument("--redmine-password", default="dudu-bench-2022")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    db = f"dudu_bench_{secrets.token_hex(4)}"
    tmp = Path(tempfile.mkdtemp(prefix="dudu-targets-"))
    password = secrets.token_urlsafe(18)
    env = bs.env_for(db, AS_OF, tmp / "var")
    server, created = None, False
    t0 = time.monotonic()
    if args.redmine:  # fail before the half-hour run, not after it
        rp.login(rp.port_of(args.redmine), args.redmine_user, args.redmine_password)
    try:
        log(f"{db}: manage.py setup (2022 plan, 19 weeks of demo reports), accounts …")
        load.run(["createdb", *load.PG, db], env, "createdb")
        created = True
        load.run([sys.executable, "manage.py", "setup"], env, "setup")
        load.run([sys.executable, "manage.py", "collectstatic", "--noinput"], env, "static")
        accounts = bs.make_accounts(env, tmp, password, "2022")
        extremes = bs.task_extremes(db, "2022")
        near19 = min(
            bs.psql(
                db,
                "SELECT t.number, count(r.id) FROM tasks_task t JOIN tasks_progressreport r "
                "ON r.task_id = t.id GROUP BY t.id, t.number ORDER BY t.sort_order",
            ),
            key=lambda row: abs(int(row[1]) - 19),
        )
        extremes = {"small": near19, "large": extremes["large"]}
        server = bs.Server(env, tmp, args.workers, "single")
        port = server.start()
        log("logins, warm-up …")
        pages = bs.page_lists(port, accounts, password, "2022", units=30, extremes=extremes)
        for session, info in zip(pages["units"], pages["unit_info"], strict=True):
            session.report_path = info["report_path"]
        lists = pages["lists"]
        bs.warm(port, lists, args.workers)
        rounds = []
        for i in range(args.repeat):
            log(f"round {i + 1}/{args.repeat}: c=1 and c=10 of every page …")
            rounds.append(
                {
                    key: {
                        "c1": bs.c1(port, lists[key], args.requests),
                        "c10": bs.c10(port, lists[key], args.seconds, tmp)["p95_ms"],
                    }
                    for key in ("bare", *PAGES)
                }
            )
        med = {
            key: {m: statistics.median(r[key][m] for r in rounds) for m in ("c1", "c10")}
            for key in ("bare", *PAGES)
        }
        log("first request after a change …")
        submitters = iter(pages["units"])
        first = {}
        for key in AFTER_CHANGE:
            results = []
            for _ in range(args.changes):
                results.append(first_after_change(port, lists[key], next(submitters), args.workers))
            first[key] = {
                "first_ms": statistics.median(r["first"] for r in results),
                "workers_seen": min(r["seen"] for r in results),
                "idle_ms": statistics.median(r["idle"] for r in results),
                "idle_workers_seen": min(r["idle_seen"] for r in results),
                "gap_ms": 1000 * statistics.median(r["gap"] for r in results),
            }
        counts = bs.query_counts(env, tmp, lists, pages["users"])
        rss = server.worker_rss_mib()
        server.stop()
        server = None
        redmine = measure_redmine(args)
        reference = rp.as_reference(redmine["medians"]) if redmine else REDMINE
        load_results = run_load(args, tmp)
        ok = report(med, first, counts, extremes, load_results, rss, args, reference)
        if args.json:
            raw = {"medians": med, "rounds": rounds, "first": first, "counts": counts}
            raw.update(load=load_results, extremes=extremes, rss=rss, redmine=redmine)
            args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False))
        log(f"done in {time.monotonic() - t0:.0f} s")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.stop()
        if created:
            subprocess.run(["dropdb", *load.PG, "--force", "--if-exists", db], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def measure_redmine(args) -> dict | None:
    """Redmine's counterparts in this run (gunicorn stopped): the app's client and wrk -t1."""
    if not args.redmine:
        return None
    return rp.measure_rounds(
        args.redmine,
        args.redmine_user,
        args.redmine_password,
        rounds=args.repeat,
        log=log,
        requests=args.requests,
        seconds=args.seconds,
        wrk_threads=1,
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(med, first, counts, extremes, load_results, rss, args, reference) -> bool:
    floor = med["bare"]["c1"]
    print()
    print(
        f"issue 15 targets — single district (2022 plan, 19 weeks of demo reports, "
        f"AS_OF_DATE={AS_OF}), gunicorn {args.workers} sync workers, DEBUG=0, medians of "
        f"{args.repeat} rounds; machine shared (2 cores)"
    )
    print(
        f"bare floor (/__floor__ without a session): c=1 p50 {floor:.2f} ms, c=10 p95 "
        f"{med['bare']['c10']:.1f} ms; "
        f"task pages: #{extremes['small'][0]} ({extremes['small'][1]} reports), "
        f"#{extremes['large'][0]} ({extremes['large'][1]} reports)"
    )
    header = (
        f"{'page':<28} {'c=1 p50':>8} {'/floor':>7} {'≤20x':>5} {'Redmine':>8} {'R/app':>6} "
        f"{'≥5x':>5} {'c=10 p95':>9} {'R/app':>6} {'≥5x':>5} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for key in PAGES:
        c1, c10 = med[key]["c1"], med[key]["c10"]
        floor_ok = c1 <= FLOOR_FACTOR * floor
        ok = ok and floor_ok
        cells = [f"{bs.LABELS[key]:<28} {c1:>6.1f}ms {c1 / floor:>6.1f}x {verdict(floor_ok):>5}"]
        r1, r10, _ = reference.get(key, (None, None, ""))
        if r1 is not None:
            good = r1 / c1 >= REDMINE_FACTOR
            ok = ok and good
            cells.append(f"{r1:>6.1f}ms {r1 / c1:>5.1f}x {verdict(good):>5}")
        else:
            cells.append(f"{'—':>8} {'':>6} {'':>5}")
        cells.append(f"{c10:>7.1f}ms")
        if r10 is not None:
            good = r10 / c10 >= REDMINE_FACTOR
            ok = ok and good
            cells.append(f"{r10 / c10:>5.1f}x {verdict(good):>5}")
        else:
            cells.append(f"{'—':>6} {'n/a':>5}")
        q = counts.get(key, {})
        cells.append(f"{q.get('warm', '—'):>8}")
        print(" ".join(cells))
    if args.redmine:
        print(
            f"Redmine measured in this run at {args.redmine} (c=1 p50 / c=10 p95): "
            + "; ".join(f"{k} {v[0]:.1f} / {v[1]:.1f} ms = {v[2]}" for k, v in reference.items())
        )
    else:
        print(
            "Redmine c=1 p50 reference (issue 15): "
            + "; ".join(f"{k} {v[0]} ms = {v[2]}" for k, v in REDMINE.items())
            + ". c=10 p95: no reference figure in the issue (n/a, not counted; --redmine URL"
            " measures both)."
        )
    print()
    print(
        f"first request after a change (median of {args.changes}; the slowest of every "
        f"worker's first), target ≤ {FIRST_FACTOR:g}x a warm one: judged against the same "
        "requests after the same pause with nothing changed (control: kept figures, every "
        "worker idle as long as the writer's request took); the ratio to the back-to-back "
        "c=1 p50 is printed beside it:"
    )
    for key in AFTER_CHANGE:
        f, warm = first[key], med[key]["c1"]
        seen = f["workers_seen"] == args.workers and f["idle_workers_seen"] == args.workers
        good = f["first_ms"] <= FIRST_FACTOR * f["idle_ms"] and seen
        ok = ok and good
        print(
            f"  {verdict(good)} {bs.LABELS[key]:<20} first {f['first_ms']:7.1f} ms / control "
            f"{f['idle_ms']:6.1f} ms = {f['first_ms'] / f['idle_ms']:4.2f}x; ÷ c=1 p50 "
            f"{warm:5.1f} ms = {f['first_ms'] / warm:4.1f}x (pause {f['gap_ms']:.0f} ms; "
            f"{f['workers_seen']}/{f['idle_workers_seen']} workers seen)"
        )
    print("gunicorn worker RSS: " + ", ".join(f"{s:.0f} MiB" for s in rss))
    if load_results is None:
        print("\nload.py: skipped (--no-load): its targets are not judged in this run")
        return False
    return report_load(load_results) and ok


def report_load(results: dict) -> bool:
    print()
    ok = True
    for reading in ("people", "stress"):
        worst = max(
            ((k, r["p95_ms"]) for k, r in results[reading].items() if not k.startswith("floor")),
            key=lambda kv: kv[1] or float("inf"),
        )
        errors = sum(r["errors"] for r in results[reading].values())
        good = worst[1] is not None and worst[1] < load.TARGET_P95_MS and errors == 0
        ok = ok and good
        print(
            f"{verdict(good)} load.py {reading}: worst p95 {worst[1]:.0f} ms ({worst[0]}), "
            f"{errors} errors; target p95 < {load.TARGET_P95_MS:.0f} ms for every page"
        )
    ratio = results.get("stress_ratio") or {}
    print(
        f"load.py stress: {ratio.get('pages_per_s', 0):.1f} pages/s in the mix ÷ floor "
        f"{ratio.get('floor_req_per_s', 0):.1f} req/s = {ratio.get('ratio', 0):.3f} "
        "(same run; compare across machines)"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
