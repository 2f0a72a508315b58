"""Province-scale database: N county plans cloned from the shipped 2022 plan, a year of reports.

    .venv/bin/python benchmarks/province.py [--counties 160] [--db dudu_province_bench] [--reset]

What it builds, in a database of its own (the name must start with `dudu_province_bench`; it
is created when missing and refused when it holds something else unless --reset drops it):

1. `manage.py setup --no-demo`: the schema as the migrations make it, the unit registry and
   the shipped 2022 plan (146 tasks, 88 units, 11 unit groups, 11 leaders). That plan is
   county 1 (slug `2022`, its units unprefixed);
2. counties 2..N, each a clone of it with units, unit groups (and their members), leaders,
   plan, source text, sections, tasks (with parents), lead leaders, lead/cooperating unit
   links and indicators of its own: names prefixed `模拟县NNN`, slug `2022-cNNN`;
3. a year of weekly reports for every county: the plan's duties (tasks.duties: 364 task × unit
   pairs a week) × 2022-W01..W52; weeks 1–51 closed (about 80 % accepted, 9 % approved,
   4 % submitted, 2 % returned, 1 % drafts, 4 % missing, 8 % of those handed in late), week 52
   open (45 % missing, the rest drafts/submitted/approved/accepted). Texts are drawn from a
   pool the shipped demo generator writes (tasks.demo); percents climb through the year. The
   pattern is the same in every county (a hash of the task's order, the unit's place and the
   week, not of the county), so one county's pages are comparable between a 1-county and a
   160-county database. Reports have no ReportEvent rows (the pages measured do not read them);
4. the load accounts of one county (`--accounts-county`, default the last): its unit
   reporters, its leaders' accounts and 3 office accounts (benchmarks/load/make_accounts.py;
   the page benchmark sets their password).

Reports go in with one INSERT … SELECT per batch of counties, server-side, with the
report table's secondary indexes dropped during the load and rebuilt after it from the
definitions the migrations made (pg_indexes), then ANALYZE. Prints each step's time, the row
counts and the size on disk. AS_OF_DATE for the pages: 2022-12-28 (week 52 open).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.province_sql import CLONE, FUNCTIONS, REPORTS  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
PREFIX = "dudu_province_bench"
AS_OF_DATE = "2022-12-28"
ACCOUNT_PASSWORD_NOTE = "set by benchmarks/province_pages.py"


def log(message: str) -> None:
    print(f"[province {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def county_prefix(c: int) -> str:
    return "" if c == 1 else f"模拟县{c:03d}"


def county_slug(c: int) -> str:
    return "2022" if c == 1 else f"2022-c{c:03d}"


def db_env(db: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "DB_"))
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        DJANGO_SETTINGS_MODULE="config.settings",
        AS_OF_DATE=AS_OF_DATE,
        PYTHONPATH=str(ROOT),
    )
    return env


def psql_value(db: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", *PG, "-d", db, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def database_exists(db: str) -> bool:
    return psql_value("postgres", f"select 1 from pg_database where datname = '{db}'") == "1"


def prepare_database(db: str, reset: bool) -> None:
    if database_exists(db):
        if not reset:
            raise SystemExit(f"{db} exists: add --reset to drop and rebuild it")
        subprocess.run(["dropdb", *PG, "--force", db], check=True)
    subprocess.run(["createdb", *PG, db], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "setup", "--no-demo"],
        cwd=ROOT,
        env=db_env(db),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build(n: int, accounts_county: int, batch: int) -> dict:
    """Runs inside Django (DATABASE_URL points at the province database)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from departments.models import Department, UnitGroup
    from leaders.models import Leader
    from tasks.demo import generate_demo
    from tasks.demo.writer import demo_periods
    from tasks.duties import expected_reporters
    from tasks.models import Plan, ProgressReport
    from tasks.reportable import reportable
    from tasks.reporting_calendar import plan_due_at

    times = {}
    plan = Plan.objects.get(slug="2022")

    t = time.monotonic()
    # The text pool: the shipped demo generator's own report texts, then its reports go.
    generate_demo(plan, weeks=51)
    pool = list(
        ProgressReport.objects.filter(task__plan=plan)
        .order_by("pk")
        .values_list("progress", "problems", "next_steps")
    )
    ProgressReport.objects.filter(task__plan=plan).delete()
    times["text pool (demo generator)"] = time.monotonic() - t

    duties = expected_reporters(reportable(plan.tasks.all()))
    base = [
        (task_id, department_id, role, k)
        for k, (task_id, department_id, role) in enumerate(
            (task_id, d, role) for task_id in sorted(duties) for d, role in duties[task_id]
        )
    ]
    periods = demo_periods(plan)[:52]
    user, _ = get_user_model().objects.get_or_create(
        username="province-bench", defaults={"first_name": "省级压测数据"}
    )

    with connection.cursor() as cur:
        cur.execute(FUNCTIONS)
        cur.execute(
            "CREATE TEMP TABLE tmpl_department AS SELECT id FROM departments_department;"
            "CREATE TEMP TABLE tmpl_group AS SELECT id FROM departments_unitgroup;"
            "CREATE TEMP TABLE tmpl_leader AS SELECT id FROM leaders_leader;"
            "CREATE TEMP TABLE base_duty (task_id int, department_id int, role text, k int);"
            "CREATE TEMP TABLE bench_week (w int, key text, start_day date, end_day date,"
            " due_at timestamptz, open bool);"
            "CREATE TEMP TABLE text_pool (i int, progress text, problems text, next_steps text)"
        )
        cur.executemany("INSERT INTO base_duty VALUES (%s, %s, %s, %s)", base)
        cur.executemany(
            "INSERT INTO bench_week VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (i, p.key, p.start, p.end, plan_due_at(plan, p), i == 52)
                for i, p in enumerate(periods, start=1)
            ],
        )
        cur.executemany(
            "INSERT INTO text_pool VALUES (%s, %s, %s, %s)",
            [(i, *texts) for i, texts in enumerate(pool)],
        )
        for name, sql in CLONE:
            t = time.monotonic()
            with transaction.atomic():
                for statement in (sql % {"n": n}).split(";\n"):
                    cur.execute(statement)
            times[f"clone: {name}"] = time.monotonic() - t
        log(f"cloned {n - 1} counties: {sum(v for k, v in times.items() if 'clone' in k):.1f} s")

        # Secondary indexes off during the load, rebuilt after it as the migrations made them.
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = "
            "'tasks_progressreport' AND i.indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cur.fetchall()
        t = time.monotonic()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        rows = 0
        for first in range(1, n + 1, batch):
            last = min(n, first + batch - 1)
            with transaction.atomic():
                cur.execute(
                    REPORTS,
                    {"user": user.pk, "pool": len(pool), "first": first, "last": last},
                )
                rows += cur.rowcount
            log(f"reports: counties {first}–{last} done, {rows:,} rows")
        times["reports (INSERT … SELECT)"] = time.monotonic() - t
        t = time.monotonic()
        for _, definition in indexes:
            cur.execute(definition)
        times[f"report indexes ({len(indexes)} rebuilt)"] = time.monotonic() - t
        t = time.monotonic()
        cur.execute("ANALYZE")
        times["ANALYZE"] = time.monotonic() - t
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('tasks_progressreport'))")
        report_size = cur.fetchone()[0]
        cur.execute("UPDATE tasks_datarevision SET value = value + 1")

    t = time.monotonic()
    from benchmarks.load import make_accounts

    accounts = make_accounts.create(
        make_accounts.UNSET_PASSWORD, plan_key=county_slug(accounts_county)
    )
    times["accounts (one county)"] = time.monotonic() - t
    counts = {
        "plans": Plan.objects.count(),
        "tasks": plan.tasks.model.objects.count(),
        "units": Department.objects.count(),
        "unit groups": UnitGroup.objects.count(),
        "leaders": Leader.objects.count(),
        "reports": ProgressReport.objects.count(),
        "duties per county per week": len(base),
        "accounts": f"{len(accounts['units'])} unit, {len(accounts['leaders'])} leader, "
        f"{len(accounts['office'])} office of county {accounts_county}",
    }
    return {"times": times, "counts": counts, "size": size, "report_size": report_size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--counties", type=int, default=160, help="county plans (default 160)")
    parser.add_argument("--db", default=PREFIX, help=f"database (default {PREFIX})")
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the database")
    parser.add_argument(
        "--accounts-county", type=int, help="the county whose users get accounts (default: last)"
    )
    parser.add_argument(
        "--batch", type=int, default=8, help="counties per report INSERT (default 8)"
    )
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)  # the result file
    args = parser.parse_args()
    if not args.db.startswith(PREFIX):
        parser.error(f"--db must start with {PREFIX} (the script drops and rebuilds it)")
    if not 1 <= args.counties <= 999:
        parser.error("--counties: 1–999")
    county = args.accounts_county or args.counties
    if args.inside:
        result = build(args.counties, county, args.batch)
        args.inside.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0

    t0 = time.monotonic()
    log(f"{args.db}: schema and the shipped 2022 plan (manage.py setup --no-demo) …")
    prepare_database(args.db, args.reset)
    setup_s = time.monotonic() - t0
    log(f"{args.counties} counties …")
    result_file = Path(tempfile.mkstemp(prefix="province-", suffix=".json")[1])
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--inside", str(result_file), "--counties",
             str(args.counties), "--db", args.db, "--accounts-county", str(county),
             "--batch", str(args.batch)],
            cwd=ROOT, env=db_env(args.db),
        )  # fmt: skip
        if done.returncode != 0:
            log("failed")
            return 1
        result = json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        result_file.unlink(missing_ok=True)
    total = time.monotonic() - t0
    print()
    print(f"province database {args.db}: {args.counties} counties, built in {total:.0f} s")
    print(f"  {'setup --no-demo (schema, registry, 2022 plan)':<44} {setup_s:7.1f} s")
    for name, seconds in result["times"].items():
        print(f"  {name:<44} {seconds:7.1f} s")
    for name, value in result["counts"].items():
        print(f"  {name:<28} {value:>12,}" if isinstance(value, int) else f"  {name:<28} {value}")
    print(f"  size on disk: database {result['size']}, reports with indexes "
          f"{result['report_size']}")  # fmt: skip
    print(f"  pages: AS_OF_DATE={AS_OF_DATE}; county {county} has the accounts, plan "
          f"{county_slug(county)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
