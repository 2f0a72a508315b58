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


# --- the clone, set-based ---------------------------------------------------------------------

# Every statement reads the template (county 1) and writes counties 2..N at once; %(n)s is N.
# pfx(c) is the county's name prefix, slug(c) its plan's slug.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION pg_temp.pfx(c int) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT CASE WHEN c = 1 THEN '' ELSE '模拟县' || lpad(c::text, 3, '0') END $$;
CREATE OR REPLACE FUNCTION pg_temp.slug(c int) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT CASE WHEN c = 1 THEN '2022' ELSE '2022-c' || lpad(c::text, 3, '0') END $$;
"""

CLONE = [
    (
        "units",
        """INSERT INTO departments_department (name, kind, sort_order, is_active)
        SELECT pg_temp.pfx(c) || d.name, d.kind, d.sort_order, d.is_active
        FROM departments_department d, generate_series(2, %(n)s) c
        WHERE d.id IN (SELECT id FROM tmpl_department) ORDER BY c, d.id""",
    ),
    (
        "unit groups",
        """INSERT INTO departments_unitgroup (name, description, sort_order)
        SELECT pg_temp.pfx(c) || g.name, g.description, g.sort_order
        FROM departments_unitgroup g, generate_series(2, %(n)s) c
        WHERE g.id IN (SELECT id FROM tmpl_group) ORDER BY c, g.id""",
    ),
    (
        "group members",
        """INSERT INTO departments_unitgroup_members (unitgroup_id, department_id)
        SELECT ng.id, nd.id
        FROM departments_unitgroup_members m
        JOIN departments_unitgroup g ON g.id = m.unitgroup_id
        JOIN departments_department d ON d.id = m.department_id
        CROSS JOIN generate_series(2, %(n)s) c
        JOIN departments_unitgroup ng ON ng.name = pg_temp.pfx(c) || g.name
        JOIN departments_department nd ON nd.name = pg_temp.pfx(c) || d.name
        WHERE g.id IN (SELECT id FROM tmpl_group)""",
    ),
    (
        "leaders",
        """INSERT INTO leaders_leader (name, title, sort_order)
        SELECT pg_temp.pfx(c) || l.name, l.title, l.sort_order
        FROM leaders_leader l, generate_series(2, %(n)s) c
        WHERE l.id IN (SELECT id FROM tmpl_leader) ORDER BY c, l.id""",
    ),
    (
        "plans",
        """INSERT INTO tasks_plan (slug, year, title, doc_number, issued_on, is_active, cycle,
            due_weekday, due_month_day, due_time, created_at, updated_at)
        SELECT pg_temp.slug(c), p.year, pg_temp.pfx(c) || p.title, p.doc_number, p.issued_on,
            p.is_active, p.cycle, p.due_weekday, p.due_month_day, p.due_time, now(), now()
        FROM tasks_plan p, generate_series(2, %(n)s) c WHERE p.slug = '2022' ORDER BY c""",
    ),
    (
        "plan sources",
        """INSERT INTO tasks_plansource (plan_id, text)
        SELECT np.id, s.text FROM tasks_plansource s JOIN tasks_plan p ON p.id = s.plan_id
        CROSS JOIN generate_series(2, %(n)s) c JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        WHERE p.slug = '2022'""",
    ),
    (
        "sections",
        """INSERT INTO tasks_section (plan_id, number, title, "order")
        SELECT np.id, s.number, s.title, s."order"
        FROM tasks_section s JOIN tasks_plan p ON p.id = s.plan_id
        CROSS JOIN generate_series(2, %(n)s) c JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        WHERE p.slug = '2022' ORDER BY c, s."order" """,
    ),
    (
        "tasks",
        """INSERT INTO tasks_task (plan_id, section_id, number, title, text, sort_order,
            deadline, extended_deadline, closed_on)
        SELECT np.id, ns.id, t.number, t.title, t.text, t.sort_order, t.deadline,
            t.extended_deadline, t.closed_on
        FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id
        JOIN tasks_section s ON s.id = t.section_id
        CROSS JOIN generate_series(2, %(n)s) c
        JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        JOIN tasks_section ns ON ns.plan_id = np.id AND ns.number = s.number
        WHERE p.slug = '2022' ORDER BY c, t.sort_order""",
    ),
    (
        "task map",
        """CREATE TEMP TABLE task_map AS
        SELECT c, t.id AS old_id, nt.id AS new_id
        FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id AND p.slug = '2022'
        CROSS JOIN generate_series(1, %(n)s) c
        JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        JOIN tasks_task nt ON nt.plan_id = np.id AND nt.number = t.number;
        CREATE UNIQUE INDEX ON task_map (c, old_id);
        CREATE TEMP TABLE dept_map AS
        SELECT c, d.id AS old_id, nd.id AS new_id
        FROM departments_department d CROSS JOIN generate_series(1, %(n)s) c
        JOIN departments_department nd ON nd.name = pg_temp.pfx(c) || d.name
        WHERE d.id IN (SELECT id FROM tmpl_department);
        CREATE UNIQUE INDEX ON dept_map (c, old_id);
        CREATE TEMP TABLE group_map AS
        SELECT c, g.id AS old_id, ng.id AS new_id
        FROM departments_unitgroup g CROSS JOIN generate_series(1, %(n)s) c
        JOIN departments_unitgroup ng ON ng.name = pg_temp.pfx(c) || g.name
        WHERE g.id IN (SELECT id FROM tmpl_group);
        CREATE UNIQUE INDEX ON group_map (c, old_id);
        CREATE TEMP TABLE leader_map AS
        SELECT c, l.id AS old_id, nl.id AS new_id
        FROM leaders_leader l CROSS JOIN generate_series(1, %(n)s) c
        JOIN leaders_leader nl ON nl.name = pg_temp.pfx(c) || l.name
        WHERE l.id IN (SELECT id FROM tmpl_leader);
        CREATE UNIQUE INDEX ON leader_map (c, old_id)""",
    ),
    (
        "task parents",
        """UPDATE tasks_task nt SET parent_id = pm.new_id
        FROM task_map tm JOIN tasks_task t ON t.id = tm.old_id
        JOIN task_map pm ON pm.c = tm.c AND pm.old_id = t.parent_id
        WHERE nt.id = tm.new_id AND tm.c > 1 AND t.parent_id IS NOT NULL""",
    ),
    (
        "lead leaders",
        """INSERT INTO tasks_taskleader (task_id, leader_id, position)
        SELECT tm.new_id, lm.new_id, tl.position FROM tasks_taskleader tl
        JOIN task_map tm ON tm.old_id = tl.task_id AND tm.c > 1
        JOIN leader_map lm ON lm.c = tm.c AND lm.old_id = tl.leader_id""",
    ),
    (
        "unit links",
        """INSERT INTO tasks_taskunit (task_id, role, position, department_id, group_id,
            written_name)
        SELECT tm.new_id, tu.role, tu.position, dm.new_id, gm.new_id,
            pg_temp.pfx(tm.c) || tu.written_name
        FROM tasks_taskunit tu JOIN task_map tm ON tm.old_id = tu.task_id AND tm.c > 1
        LEFT JOIN dept_map dm ON dm.c = tm.c AND dm.old_id = tu.department_id
        LEFT JOIN group_map gm ON gm.c = tm.c AND gm.old_id = tu.group_id""",
    ),
    (
        "indicators",
        """INSERT INTO tasks_indicator (task_id, name, comparator, target, unit, kind, phrase,
            position, edited_by_office)
        SELECT tm.new_id, i.name, i.comparator, i.target, i.unit, i.kind, i.phrase, i.position,
            i.edited_by_office
        FROM tasks_indicator i JOIN task_map tm ON tm.old_id = i.task_id AND tm.c > 1""",
    ),
    (
        "duties",
        """CREATE TEMP TABLE duty AS
        SELECT tm.c, tm.new_id AS task_id, dm.new_id AS department_id, b.role, b.k
        FROM base_duty b JOIN task_map tm ON tm.old_id = b.task_id
        JOIN dept_map dm ON dm.c = tm.c AND dm.old_id = b.department_id;
        CREATE INDEX ON duty (c)""",
    ),
]

# One report per duty × week unless the hash says "missing". r: a number 0..999 from the
# duty's place in the plan (k) and the week (w); the same in every county.
REPORTS = """
INSERT INTO tasks_progressreport (task_id, department_id, role, period_key, period_start,
    period_end, state, progress, problems, next_steps, percent, is_late, submitted_at,
    return_reason, version, created_by_id, updated_by_id, created_at, updated_at, is_demo)
SELECT d.task_id, d.department_id, d.role, w.key, w.start_day, w.end_day, s.state,
    tp.progress, tp.problems, tp.next_steps,
    LEAST(100, GREATEST(0, round(w.w * 100.0 / 52 + (x.r2 %% 21) - 12)))::numeric(4, 1),
    s.state <> 'draft' AND x.r2 %% 1000 < 80,
    CASE WHEN s.state = 'draft' THEN NULL
         WHEN x.r2 %% 1000 < 80 THEN w.due_at + interval '1 day 3 hours'
         ELSE w.due_at - interval '1 day' + (x.r2 %% 480) * interval '1 minute' END,
    CASE WHEN s.state = 'returned' THEN '请补充本周具体工作量和下步时间安排。' ELSE '' END,
    1, %(user)s, %(user)s, w.due_at - interval '2 days', w.due_at, false
FROM duty d
CROSS JOIN bench_week w
CROSS JOIN LATERAL (
    SELECT abs(hashtext(d.k || ':' || w.w)::bigint) %% 1000 AS r,
           abs(hashtext(w.w || '/' || d.k)::bigint) AS r2
) x
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN NOT w.open THEN CASE
            WHEN x.r < 40 THEN NULL WHEN x.r < 50 THEN 'draft' WHEN x.r < 70 THEN 'returned'
            WHEN x.r < 110 THEN 'submitted' WHEN x.r < 200 THEN 'approved' ELSE 'accepted' END
        ELSE CASE
            WHEN x.r < 450 THEN NULL WHEN x.r < 550 THEN 'draft' WHEN x.r < 800 THEN 'submitted'
            WHEN x.r < 900 THEN 'approved' ELSE 'accepted' END
    END AS state
) s
JOIN text_pool tp ON tp.i = x.r2 %% %(pool)s
WHERE d.c BETWEEN %(first)s AND %(last)s AND s.state IS NOT NULL
"""


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
