"""Kept figures: warm c=1 p50 of the pages that read them, and the first requests after a change.

Run from the repository root (same needs as benchmarks/load.py: PostgreSQL and Redis on
loopback, trust auth; no wrk, no Celery worker):

    .venv/bin/python benchmarks/figures_bench.py [--repeat 3] [--rounds 5] [--workers 3]

One bounded run that cleans up after itself (scratch database, gunicorn, temp dir), set up as
load.py does (production settings, `manage.py setup`, the load accounts, gunicorn with cores + 1
sync workers). Then, for the office dashboard (`/?plan=2022`), 我的任务 of 区发展和改革局 staff,
the busiest leader's portfolio and the office's task list (first 50 of 146), with the bare
floor (/__floor__) measured in the same run:

- warm: --repeat times, each page 20 requests one at a time, interleaved; p50 of each repeat;
- cold: --rounds times per page, a unit submits a report through the form (POST action=submit,
  a counted report: the data revision moves), then the page is requested 6 times one after the
  other. "first" is the first request after the submission, "next" the slowest of the other
  five (with the per-process memo each worker recomputes once: the next ones are slow too).

Prints medians over repeats/rounds and the ratios (cold first / warm, page / floor).
"""

import argparse
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("load_bench", ROOT / "benchmarks" / "load.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

PAGES = ("dashboard", "mine", "portfolio", "task_list")
FOLLOWING = 5


def submit(session) -> float:
    """A unit submits its report of the open week; the POST's time (ms)."""
    status, _, body, _ = session.request("GET", session.report_path)
    token, version = load.CSRF_RE.search(body), load.VERSION_RE.search(body)
    if status != 200 or not token or not version:
        raise RuntimeError(f"{session.username}: report form not editable ({status})")
    form = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "version": version.group(1).decode(),
        "progress": load.DRAFT_TEXT,
        "problems": "个别项目前期手续办理进度偏慢。",
        "next_steps": "下周继续调度，确保按期完成。",
        "percent": "45",
        "action": "submit",
    }
    status, _, _, ms = session.request("POST", session.report_path, form)
    if status != 302:
        raise RuntimeError(f"{session.username}: submit gave {status}")
    return ms


def get(session, path) -> float:
    status, _, _, ms = session.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} as {session.username} gave {status}")
    return ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    db = f"dudu_bench_{secrets.token_hex(4)}"
    tmp = Path(tempfile.mkdtemp(prefix="dudu-figures-"))
    password = secrets.token_urlsafe(18)
    server, db_created = None, False
    stack = contextlib.ExitStack()
    try:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "DB_", "CACHE"))
        }
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            AS_OF_DATE=load.AS_OF_DATE.isoformat(),
            VAR_DIR=str(tmp / "var"),
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONPATH=str(ROOT),
        )
        load.log(f"creating {db}, setup …")
        load.run(["createdb", *load.PG, db], env, "createdb")
        db_created = True
        load.run([sys.executable, "manage.py", "setup"], env, "manage.py setup")
        load.run([sys.executable, "manage.py", "collectstatic", "--noinput"], env, "collectstatic")
        accounts_file = tmp / "accounts.json"
        load.run(
            [sys.executable, "-m", "benchmarks.load.make_accounts", str(accounts_file), password],
            env,
            "make_accounts",
        )
        accounts = json.loads(accounts_file.read_text(encoding="utf-8"))
        port = load.free_port()
        server_env = dict(env, DJANGO_SETTINGS_MODULE="benchmarks.load.settings")
        server_log = stack.enter_context((tmp / "server.log").open("wb"))
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchmarks.load.floor_wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "120",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        load.wait_healthy(port, server)

        fgj = next(u for u in accounts["units"] if u["department"] == "区发展和改革局")
        submitters = [u for u in accounts["units"] if u["leads_report_task"] and u is not fgj][
            : args.rounds * len(PAGES) + 1
        ]

        def login(info):
            session = load.Session(port, info["username"])
            session.login(password)
            session.report_path = info.get("report_path")
            return session

        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            mine, leader, office = pool.map(
                login, [fgj, accounts["leaders"][0], accounts["office"][0]]
            )
            writers = list(pool.map(login, submitters))
        pages = {
            "dashboard": (office, f"/?plan={load.PLAN_KEY}"),
            "mine": (mine, "/tasks/mine/"),
            "portfolio": (leader, accounts["leaders"][0]["portfolio_path"]),
            "task_list": (office, f"/tasks/?plan={load.PLAN_KEY}"),
            "floor": (office, "/__floor__"),
        }
        load.log("warm-up …")
        for _ in range(4 * args.workers):
            for session, path in pages.values():
                get(session, path)

        warm = {key: [] for key in pages}
        for _ in range(args.repeat):
            samples = {key: [] for key in pages}
            for _ in range(20):
                for key, (session, path) in pages.items():
                    samples[key].append(get(session, path))
            for key, values in samples.items():
                warm[key].append(statistics.median(values))

        cold = {key: {"first": [], "next": [], "submit": []} for key in PAGES}
        writer_iter = iter(writers)
        for _ in range(args.rounds):
            for key in PAGES:
                session, path = pages[key]
                cold[key]["submit"].append(submit(next(writer_iter)))
                times = [get(session, path) for _ in range(1 + FOLLOWING)]
                cold[key]["first"].append(times[0])
                cold[key]["next"].append(max(times[1:]))
                for _ in range(3):  # settle before the next round
                    get(session, path)

        floor = statistics.median(warm["floor"])
        print(
            f"\nc=1 ms, medians ({args.repeat} warm repeats, {args.rounds} cold rounds), "
            f"{args.workers} gunicorn workers; floor /__floor__ p50 {floor:.2f} ms\n"
        )
        print(
            f"{'page':<11} {'warm p50':>9} {'/floor':>7} {'1st after':>10} {'1st/warm':>9} "
            f"{'next max':>9} {'next/warm':>10} {'submit':>8}"
        )
        result = {"floor": floor, "pages": {}}
        for key in PAGES:
            w = statistics.median(warm[key])
            first = statistics.median(cold[key]["first"])
            nxt = statistics.median(cold[key]["next"])
            sub = statistics.median(cold[key]["submit"])
            result["pages"][key] = {
                "warm": w,
                "first": first,
                "next": nxt,
                "submit": sub,
                "warm_all": warm[key],
                "first_all": cold[key]["first"],
                "next_all": cold[key]["next"],
            }
            print(
                f"{key:<11} {w:9.1f} {w / floor:6.1f}× {first:10.1f} {first / w:8.2f}× "
                f"{nxt:9.1f} {nxt / w:9.2f}× {sub:8.1f}"
            )
        if args.json:
            args.json.write_text(json.dumps(result, indent=1))
        return 0
    finally:
        load.stop_server(server)
        stack.close()
        if db_created:
            subprocess.run(["dropdb", *load.PG, "--force", "--if-exists", db], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
