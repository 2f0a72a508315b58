"""What benchmarks/province_pages.py and benchmarks/targets.py share, on top of load.py's
machinery (its client, wrk runner, gunicorn start/stop and CPU meter are reused, not copied):
production settings for a database, the accounts of one plan's users, a gunicorn serving it,
the page lists of those users, c=1 and c=10 readings and the query counts per page."""

import importlib.util
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("load_bench", ROOT / "benchmarks" / "load.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

PAGES = ("dashboard", "mine", "portfolio", "task_list", "task")
LABELS = {
    "bare": "bare floor (no session)",
    "floor": "logged-in /__floor__",
    "dashboard": "office dashboard",
    "mine": "我的任务 (unit)",
    "portfolio": "leader portfolio",
    "task_list": "task list (first page)",
    "task": "task page",
    "task_small": "task page, fewest reports",
    "task_large": "task page, most reports",
}


def env_for(db: str, as_of: str, var_dir: Path, redis_db: int = 14) -> dict:
    """load.py's production settings (DEBUG=0, random key, plain http on loopback)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "DB_"))
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        AS_OF_DATE=as_of,
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def make_accounts(env: dict, tmp: Path, password: str, plan_slug: str) -> dict:
    out = tmp / f"accounts-{plan_slug}.json"
    load.run(
        [sys.executable, "-m", "benchmarks.load.make_accounts", str(out), password, plan_slug],
        env,
        "make_accounts",
    )
    return json.loads(out.read_text(encoding="utf-8"))


def psql(db: str, sql: str) -> list[list[str]]:
    done = subprocess.run(
        ["psql", *load.PG, "-d", db, "-tAF", "\t", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def task_extremes(db: str, plan_slug: str) -> dict:
    """The plan's task with the fewest reports (at least one) and the one with the most."""
    rows = psql(
        db,
        "SELECT t.number, count(r.id) FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id "
        "JOIN tasks_progressreport r ON r.task_id = t.id "
        f"WHERE p.slug = '{plan_slug}' GROUP BY t.id, t.number ORDER BY 2, t.sort_order",
    )
    return {"small": rows[0], "large": rows[-1]}


class Server:
    """gunicorn (load.py's flags) serving benchmarks.load.floor_wsgi for one database."""

    def __init__(self, env: dict, tmp: Path, workers: int, name: str):
        self.env = dict(env, DJANGO_SETTINGS_MODULE="benchmarks.load.settings")
        self.tmp, self.workers, self.name = tmp, workers, name
        self.process = None

    def start(self) -> int:
        self.port = load.free_port()
        self.log = (self.tmp / f"server-{self.name}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "benchmarks.load.floor_wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--timeout", "120", "--graceful-timeout", "10", "--max-requests", "20000",
             "--max-requests-jitter", "2000", "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        load.wait_healthy(self.port, self.process)
        return self.port

    def stop(self) -> None:
        load.stop_server(self.process)
        if self.process is not None:
            self.log.close()

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker (children of the master), MiB."""
        sizes = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid):
                sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
        return sizes


def login(port: int, usernames: list[str], password: str) -> list:
    def one(username):
        session = load.Session(port, username)
        session.login(password)
        return session

    with ThreadPoolExecutor(max_workers=3) as pool:
        return list(pool.map(one, usernames))


def page_lists(port, accounts, password, plan_slug, units=20, extremes=None) -> dict:
    """key -> [(path, cookie)]: the pages of one plan's users, rotating over them."""
    unit_info = accounts["units"][:units]
    unit_sessions = login(port, [u["username"] for u in unit_info], password)
    leader_info = accounts["leaders"][: len({u["username"] for u in accounts["leaders"]})]
    leader_sessions = login(port, [u["username"] for u in leader_info], password)
    office = login(port, [accounts["office"][0]["username"]], password)[0]
    lists = {
        # The bare floor: /__floor__ without a session cookie (middleware only, no queries);
        # the logged-in floor: the same view with a unit's session (session, user, profile).
        "bare": [("/__floor__", "")],
        "floor": [("/__floor__", s.cookie_header()) for s in unit_sessions],
        "dashboard": [(f"/?plan={plan_slug}", office.cookie_header())],
        "mine": [("/tasks/mine/", s.cookie_header()) for s in unit_sessions],
        "portfolio": [
            (info["portfolio_path"], s.cookie_header())
            for s, info in zip(leader_sessions, leader_info, strict=True)
        ],
        "task_list": [(f"/tasks/?plan={plan_slug}", office.cookie_header())],
        "task": [
            (info["task_paths"][i % len(info["task_paths"])], s.cookie_header())
            for i in range(3)
            for s, info in zip(unit_sessions, unit_info, strict=True)
        ],
    }
    for size, (number, _) in (extremes or {}).items():
        lists[f"task_{size}"] = [(f"/tasks/{plan_slug}/{number}/", office.cookie_header())]
    users = {
        "dashboard": accounts["office"][0]["username"],
        "mine": unit_info[0]["username"],
        "portfolio": leader_info[0]["username"],
        "task_list": accounts["office"][0]["username"],
        "task": unit_info[0]["username"],
    }
    for size in extremes or {}:
        users[f"task_{size}"] = accounts["office"][0]["username"]
    return {"lists": lists, "users": users, "units": unit_sessions, "unit_info": unit_info}


def get(port: int, path: str, cookie: str):
    session = load.Session(port, "bench")
    session.cookies = load.cookie_dict(cookie)
    status, headers, _, ms = session.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} gave {status}")
    return ms, headers


def warm(port: int, lists: dict, workers: int) -> None:
    for rows in lists.values():
        for i in range(max(3 * workers, len(rows))):
            get(port, *rows[i % len(rows)])


def c1(port: int, rows: list, n: int) -> float:
    """Median of n requests one at a time, rotating over the rows."""
    return statistics.median(get(port, *rows[i % len(rows)])[0] for i in range(n))


def c10(port: int, rows: list, seconds: int, tmp: Path, connections: int = 10) -> dict:
    """p95 (and p50, req/s) with `connections` requests always in flight, under wrk."""
    list_file = tmp / f"wrk-{secrets.token_hex(4)}.txt"
    list_file.write_text("".join(f"{p}\t{c}\n" for p, c in rows), encoding="utf-8")
    result = load.wrk_result(load.start_wrk(port, connections, seconds, list_file), seconds + 90)
    result["connections"] = connections
    out = load.normalise_wrk(result)
    if out["errors"]:
        raise RuntimeError(f"wrk errors on {rows[0][0]}: {out['error_sample']}")
    out["rate"] = out["requests"] / out["duration_s"]
    return out


def query_counts(env: dict, tmp: Path, lists: dict, users: dict) -> dict:
    pages = {key: (lists[key][0][0], users[key]) for key in users}
    spec = tmp / f"pages-{secrets.token_hex(4)}.json"
    spec.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    out = load.run(
        [sys.executable, "-m", "benchmarks.load.query_counts", str(spec)],
        dict(env, DJANGO_SETTINGS_MODULE="benchmarks.load.settings"),
        "query counts",
    )
    line = next(x for x in out.splitlines() if x.startswith("QUERY_COUNTS "))
    return json.loads(line[len("QUERY_COUNTS ") :])


def stamp() -> str:
    return time.strftime("%H:%M:%S", time.gmtime())
