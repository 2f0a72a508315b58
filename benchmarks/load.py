"""Load benchmark of the web app: 20 concurrent users in the mix of a reporting week.

Run from the repository root (loopback only; needs PostgreSQL on 127.0.0.1:5432 with trust auth,
Redis on 127.0.0.1:6379 for the health check's broker test, and wrk: `apt-get install -y wrk`):

    .venv/bin/python benchmarks/load.py [--users 20] [--people-seconds 90] [--think 1 5]
                                        [--seconds 30] [--more-people N] [--workers 3]
                                        [--json OUT] [--keep]

One run, bounded (about a minute of setup, two people scenarios of --people-seconds, two
stress scenarios of --seconds, one more with --more-people), cleaning up after itself
(gunicorn stopped, scratch database dropped, temp dir deleted), also on Ctrl-C:

1. a scratch database dudu_bench_<random>, `manage.py setup` (2022 plan + 19 weeks of demo
   reports) and `collectstatic` with production settings (DEBUG=0, random SECRET_KEY, plain
   http on loopback, AS_OF_DATE=2022-05-18: week 20 is open), then the load accounts
   (benchmarks/load/make_accounts.py): 70 unit reporters in 70 departments, 12 leader sessions,
   3 office accounts; gunicorn (cores + 1 sync workers, the Dockerfile's flags) serving
   benchmarks.load.floor_wsgi: the app plus /__floor__, a plain HttpResponse through the full
   middleware stack (the cheapest page Django serves here);
2. every account logs in through POST /login/ (with CSRF) for its session cookie; after a
   warm-up, each page is measured alone, one request at a time ("solo": its service time);
3. the mix, by role, for --users (20) at once: unit users on 我的任务, task pages and the
   report form (GET, then POST 保存草稿 with the form's CSRF token and version), leaders on
   their portfolios, the office on the dashboard, the xlsx export of the plan and the report
   list, and one monitor on /healthz (MIX below). It runs two ways:
   - people: each of the 20 is a person in a thread of a stdlib http.client
     client who opens a page, reads it for --think seconds (uniform, 1–5 s as locust's
     `between(1, 5)`), opens the next; the report writer reads and types between the form's GET
     and its POST. The floor: 20 people on /__floor__ the same way. --more-people N runs the
     people scenario again with N people, to show how far the machine goes;
   - stress: 20 requests always in flight, closed loop without think time: GET pages
     under wrk (benchmarks/load/pages.lua, per-user cookies and paths, one wrk per page type),
     the report GET+POST in client threads; the floor: 20 connections on /__floor__. Latency
     here is queueing (Little's law: mean latency = 20 / throughput): it measures how many
     pages a second the machine serves, which is what the sizing in docs/deploy.md needs.
     (wrk has no think time that fits: its delay() connects first and waits after, which holds
     gunicorn's sync workers idle; the people scenario connects only when it sends.)
4. prints per scenario and page: requests, errors (socket errors and any unexpected status: 200
   for GETs, 302 for the draft save), p50/p95/p99 in ms and p95 / floor p95 (the floor measured
   the same way in the same run) and where the CPU went (other processes on a shared machine
   make the run worthless), then the verdicts: p95 < 300 ms and no errors for every page, with
   20 people and with 20 requests always in flight (the exit status needs both).
"""

import argparse
import contextlib
import datetime
import functools
import http.client
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "benchmarks" / "load"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
AS_OF_DATE = datetime.date(2022, 5, 18)
TARGET_P95_MS = 300.0
PLAN_KEY = "2022"

# Concurrent connections per page type at 20 users (scaled for other --users). The report
# flow's connections run the GET and the POST of the form one after the other.
MIX = {
    "mine": 3,
    "task": 4,
    "report": 6,
    "portfolio": 3,
    "dashboard": 1,
    "xlsx": 1,
    "reports": 1,
    "healthz": 1,
}
ROWS = [
    # key, label, tool that measured it
    ("floor_wrk", "floor /__floor__", "wrk"),
    ("floor_py", "floor /__floor__", "py"),
    ("healthz", "healthz /healthz", "wrk"),
    ("mine", "mine /tasks/mine/", "wrk"),
    ("task", "task /tasks/2022/N/", "wrk"),
    ("report_form", "report form GET", "py"),
    ("report_post", "report draft POST", "py"),
    ("portfolio", "portfolio /leaders/ID/", "wrk"),
    ("dashboard", "dashboard /?plan&period", "wrk"),
    ("xlsx", "xlsx /tasks/?_export=xlsx", "wrk"),
    ("reports", "reports list /reports/", "wrk"),
]
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(rb'name="version" value="(\d*)"')
DRAFT_TEXT = (
    "本周围绕年度目标持续推进：完成项目现场调度两次，协调解决用地、资金等问题三项；"
    "已完成年度投资计划的百分之四十，重点节点按序时推进。"
)


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


def _on_signal(signum, frame):
    raise Interrupted(f"signal {signum}")


# --- the stdlib client --------------------------------------------------------------------


class Stats:
    """Latencies (ms) of completed requests with the expected status, and error counts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.error_samples: dict[str, str] = {}

    def ok(self, key: str, ms: float) -> None:
        with self.lock:
            self.latencies.setdefault(key, []).append(ms)

    def error(self, key: str, what: str) -> None:
        with self.lock:
            self.errors[key] = self.errors.get(key, 0) + 1
            self.error_samples.setdefault(key, what)


class Session:
    """One logged-in user: a cookie jar and the port of the server."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.username = username
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None):
        """(status, headers, body, elapsed ms) — one connection per request, as gunicorn's sync
        workers close every connection anyway."""
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = (time.perf_counter() - start) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content, elapsed

    def login(self, password: str) -> None:
        status, _, body, _ = self.request("GET", "/login/")
        token = CSRF_RE.search(body)
        if status != 200 or not token:
            raise RuntimeError(f"{self.username}: GET /login/ gave {status}")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": self.username,
            "password": password,
        }
        status, _, _, _ = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username}: login gave {status}, not a redirect")


def _timed(
    stats: Stats, key: str, session: Session, method: str, path: str, expect: int, form=None
):
    try:
        status, _, body, ms = session.request(method, path, form)
    except (OSError, http.client.HTTPException) as error:
        stats.error(key, f"{type(error).__name__}: {error}")
        return None
    if status != expect:
        stats.error(key, f"{method} {path} -> {status}")
        return None
    stats.ok(key, ms)
    return body


def report_once(
    session: Session, stats: Stats, i: int, deadline: float | None = None, pause=None
) -> None:
    """GET a unit's report form, then save it as a draft with the form's token and version.

    pause(), if given, runs between the two (a person reading and typing) and returns False
    when the scenario ends first."""
    body = _timed(stats, "report_form", session, "GET", session.report_path, 200)
    if body is None or (deadline is not None and time.monotonic() >= deadline):
        return
    if pause is not None and not pause():
        return
    token, version = CSRF_RE.search(body), VERSION_RE.search(body)
    if not token or not version:
        stats.error("report_post", "form without csrf token or version (not editable?)")
        return
    form = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "version": version.group(1).decode(),
        "progress": f"{DRAFT_TEXT}（{session.username} 第 {i} 次保存）",
        "problems": "个别项目前期手续办理进度偏慢。",
        "next_steps": "下周继续调度，确保按期完成。",
        "percent": str(40 + i % 10),
        "action": "save",
    }
    _timed(stats, "report_post", session, "POST", session.report_path, 302, form)


def report_flow(sessions: list, stats: Stats, deadline: float) -> None:
    i = 0
    while time.monotonic() < deadline:
        report_once(sessions[i % len(sessions)], stats, i, deadline)
        i += 1


# --- people: the user model (think time between pages) --------------------------------------


def think(rng: random.Random, seconds: tuple[float, float], deadline: float) -> bool:
    """Sleep one think time; False when the scenario ends first."""
    pause = rng.uniform(*seconds)
    remaining = deadline - time.monotonic()
    time.sleep(max(0.0, min(pause, remaining)))
    return pause < remaining


def cookie_dict(cookie: str) -> dict:
    return dict(c.split("=", 1) for c in cookie.split("; ")) if cookie else {}


def person_browsing(rows, stats, deadline, *, port, key, seconds, seed) -> None:
    """One person on one kind of page: open it, read it (think time), open the next one."""
    rng = random.Random(seed)
    i = rng.randrange(len(rows))
    if not think(rng, (0, seconds[1]), deadline):  # people do not all start at once
        return
    while True:
        path, cookie = rows[i % len(rows)]
        i += 1
        session = Session(port, key)
        session.cookies = cookie_dict(cookie)
        _timed(stats, key, session, "GET", path, 200)
        if not think(rng, seconds, deadline):
            return


def person_reporting(sessions, stats, deadline, *, seconds, seed) -> None:
    """One unit reporter: open the form, type (think time), save the draft, think, again."""
    rng = random.Random(seed)
    if not think(rng, (0, seconds[1]), deadline):
        return
    i = 0
    while True:
        pause = functools.partial(think, rng, seconds, deadline)
        report_once(sessions[i % len(sessions)], stats, i, deadline, pause=pause)
        i += 1
        if not think(rng, seconds, deadline):
            return


def people(port: int, alloc: dict, lists: dict, groups: list, seconds, floor: bool) -> list:
    """py_jobs for run_scenario: one thread per person, as many people per page as alloc says
    (on /__floor__ instead when floor is true)."""
    jobs, seed = [], 0
    for key, count in alloc.items():
        if key not in MIX:
            continue
        for n in range(count):
            seed += 1
            if floor:
                fn = functools.partial(
                    person_browsing, port=port, key="floor_py", seconds=seconds, seed=seed
                )
                jobs.append((fn, lists["floor"]))
            elif key == "report":
                fn = functools.partial(person_reporting, seconds=seconds, seed=seed)
                jobs.append((fn, groups[n]))
            else:
                fn = functools.partial(
                    person_browsing, port=port, key=key, seconds=seconds, seed=seed
                )
                jobs.append((fn, lists[key]))
    return jobs


def floor_flow(sessions: list, stats: Stats, deadline: float) -> None:
    i = 0
    while time.monotonic() < deadline:
        _timed(stats, "floor_py", sessions[i % len(sessions)], "GET", "/__floor__", 200)
        i += 1


def measure_solo(port: int, lists: dict, report_sessions: list, repeat: int = 10) -> dict:
    """Median latency of each page type with nothing else running: its own service time."""
    stats = Stats()
    for key, rows in lists.items():
        for i in range(repeat):
            path, cookie = rows[i % len(rows)]
            session = Session(port, "solo")
            if cookie:
                session.cookies = dict(c.split("=", 1) for c in cookie.split("; "))
            _timed(stats, key, session, "GET", path, 200)
    for i in range(repeat):
        report_once(report_sessions[i % len(report_sessions)], stats, i)
    if stats.errors:
        raise RuntimeError(f"errors with one request at a time: {stats.error_samples}")
    solo = {key: statistics.median(values) for key, values in stats.latencies.items()}
    solo["floor_wrk"] = solo["floor_py"] = solo.pop("floor")
    return solo


# --- wrk --------------------------------------------------------------------------------------


def start_wrk(port: int, connections: int, seconds: int, list_file: Path) -> subprocess.Popen:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "-s",
        str(HELPERS / "pages.lua"),
        f"http://127.0.0.1:{port}",
        "--",
        str(list_file),
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


def wrk_result(process: subprocess.Popen, timeout: float) -> dict:
    output, _ = process.communicate(timeout=timeout)
    for line in output.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON ") :])
    raise RuntimeError(f"wrk printed no result:\n{output}")


# --- measuring ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


class CpuMeter:
    """Where the machine's CPU went during a scenario, from /proc: gunicorn (its process group),
    the load client (this process and its children: wrk), PostgreSQL, and everything else
    (other people's tests on a shared machine make latencies meaningless: this shows it)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    @staticmethod
    def _procs() -> dict:
        procs = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                data = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            comm = data[data.index("(") + 1 : data.rindex(")")]
            fields = data[data.rindex(")") + 2 :].split()  # fields[0] is field 3 (state)
            ticks = int(fields[11]) + int(fields[12])
            reaped = int(fields[13]) + int(fields[14])
            procs[int(entry.name)] = (comm, int(fields[2]), ticks, reaped)
        return procs

    @staticmethod
    def _machine() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def _snapshot(self):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = (usage.ru_utime + usage.ru_stime) * os.sysconf("SC_CLK_TCK")
        return self._machine(), self._procs(), children

    def start(self):
        self.before = self._snapshot()

    def stop(self) -> dict:
        (busy0, total0), procs0, children0 = self.before
        (busy1, total1), procs1, children1 = self._snapshot()
        parts = {"gunicorn": 0.0, "client": children1 - children0, "postgres": 0.0}
        me = os.getpid()
        for pid, (comm, pgid, ticks, reaped) in procs1.items():
            _, _, ticks0, reaped0 = procs0.get(pid, (comm, pgid, 0, 0))
            delta = ticks - ticks0
            if pgid == self.server_pid:
                parts["gunicorn"] += delta + (reaped - reaped0)  # + recycled workers
            elif pid == me:
                parts["client"] += delta
            elif comm.startswith("postgres"):
                parts["postgres"] += delta
        for pid, (_, pgid, ticks0, _) in procs0.items():
            if pgid == self.server_pid and pid not in procs1:
                # A worker recycled during the scenario: the master's reaped time holds its
                # whole life, of which the part before the scenario was not spent in it.
                parts["gunicorn"] -= ticks0
        total = total1 - total0
        cores = os.cpu_count() or 1
        scale = 100.0 * cores / total if total else 0.0  # percent of one core
        busy = (busy1 - busy0) * scale
        result = {k: v * scale for k, v in parts.items()}
        result["others"] = max(0.0, busy - sum(result.values()))
        result["idle"] = 100.0 * cores - busy
        return result


def allocate(users: int) -> dict[str, int]:
    """MIX scaled to `users` connections: largest remainder, at least one per page type."""
    scale = users / sum(MIX.values())
    raw = {k: v * scale for k, v in MIX.items()}
    alloc = {k: max(1, int(v)) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - int(raw[k]), reverse=True):
        if sum(alloc.values()) >= users:
            break
        alloc[key] += 1
    return alloc


def run_scenario(
    port: int,
    seconds: int,
    wrk_jobs: dict,
    py_jobs: list,
    stats: Stats,
    results: dict,
    meter: CpuMeter,
) -> dict:
    """wrk_jobs: key -> (connections, list file); py_jobs: (function, sessions) per thread."""
    processes = {}
    try:
        meter.start()
        deadline = time.monotonic() + seconds
        for key, (connections, list_file) in wrk_jobs.items():
            processes[key] = start_wrk(port, connections, seconds, list_file)
        threads = [
            threading.Thread(target=fn, args=(sessions, stats, deadline), daemon=True)
            for fn, sessions in py_jobs
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for key, process in processes.items():
            results[key] = wrk_result(process, timeout=seconds + 90)
            results[key]["connections"] = wrk_jobs[key][0]
        for thread in threads:
            thread.join(timeout=max(1, deadline + 90 - time.monotonic()))
        elapsed = time.monotonic() - started
        cpu = meter.stop()
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    for key in {k for k in stats.latencies} | {k for k in stats.errors}:
        if key in results:
            continue
        latencies = stats.latencies.get(key, [])
        results[key] = {
            "requests": len(latencies) + stats.errors.get(key, 0),
            "errors": stats.errors.get(key, 0),
            "error_sample": stats.error_samples.get(key),
            "duration_s": elapsed,
            "p50_ms": percentile(latencies, 50) if latencies else None,
            "p95_ms": percentile(latencies, 95) if latencies else None,
            "p99_ms": percentile(latencies, 99) if latencies else None,
        }
    return cpu


def normalise_wrk(result: dict) -> dict:
    errors = (
        result["connect"]
        + result["read"]
        + result["write"]
        + result["timeout"]
        + max(result["not_200"], result["status_4xx_5xx"])
    )
    return {
        "requests": result["requests"],
        "errors": errors,
        "duration_s": result["duration_us"] / 1e6,
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "connections": result["connections"],
        "error_sample": ", ".join(
            f"{result[k]} {k}"
            for k in ("connect", "read", "write", "timeout", "not_200")
            if result[k]
        )
        or None,
        "raw": result,
    }


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command: list, env: dict, what: str) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            status, _, body, _ = Session(port, "probe").request("GET", "/healthz")
            if status == 200:
                return
            last = f"{status} {body[:300]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(0.3)
    raise RuntimeError(f"/healthz not 200 within {timeout:.0f} s: {last}")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()  # gunicorn: graceful stop of the master and its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own session: only what we started
        server.wait()


# --- report -------------------------------------------------------------------------------


def fmt(value, digits=1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_table(
    title: str,
    results: dict,
    solo: dict,
    conns: dict,
    cpu: dict,
    cores: int,
    tool=None,
    floor_from=None,
):
    """One scenario's table; `tool` names the client of every row when one client ran all;
    `floor_from`: the results holding the floor, when not these."""
    print()
    print(title)
    for name, c in cpu.items():
        print(
            f"  CPU during {name:<5} (% of one core, {cores} cores): gunicorn "
            f"{c['gunicorn']:.0f}%, postgres {c['postgres']:.0f}%, load client {c['client']:.0f}%,"
            f" other processes {c['others']:.0f}%, idle {c['idle']:.0f}%"
        )
    header = (
        f"{'page':<26} {'tool':<4} {'conn':>4} {'reqs':>6} {'req/s':>6} {'err':>4} "
        f"{'solo ms':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'p95/floor':>9}"
    )
    print(header)
    print("-" * len(header))
    floor_results = floor_from or results
    floors = {
        "wrk": (floor_results.get("floor_wrk") or {}).get("p95_ms"),
        "py": (floor_results.get("floor_py") or {}).get("p95_ms"),
    }
    for key, label, row_tool in ROWS:
        r = results.get(key)
        if r is None:
            continue
        shown = tool or row_tool
        rate = r["requests"] / r["duration_s"] if r["duration_s"] else 0
        floor = floors[shown]
        ratio = f"{r['p95_ms'] / floor:.1f}x" if floor and r["p95_ms"] is not None else "—"
        if key.startswith("floor"):
            ratio = "1.0x"
        print(
            f"{label:<26} {shown:<4} {conns.get(key, 0):>4} {r['requests']:>6} "
            f"{rate:>6.1f} {r['errors']:>4} {fmt(solo.get(key)):>7} {fmt(r['p50_ms']):>7} "
            f"{fmt(r['p95_ms']):>7} {fmt(r['p99_ms']):>7} {ratio:>9}"
        )


def verdicts(results: dict, label_of_run: str) -> bool:
    print(f"verdicts, {label_of_run} (target: p95 < {TARGET_P95_MS:.0f} ms, 0 errors):")
    all_ok = True
    for key, label, _ in ROWS:
        if key.startswith("floor"):
            continue
        r = results.get(key)
        if r is None or r["p95_ms"] is None:
            print(f"  FAIL {label}: no successful requests")
            all_ok = False
            continue
        problems = []
        if r["p95_ms"] >= TARGET_P95_MS:
            problems.append(f"p95 {r['p95_ms']:.0f} ms ≥ {TARGET_P95_MS:.0f} ms")
        if r["errors"]:
            sample = f" (e.g. {r['error_sample']})" if r.get("error_sample") else ""
            problems.append(f"{r['errors']} errors{sample}")
        if problems:
            all_ok = False
            print(f"  FAIL {label}: " + "; ".join(problems))
        else:
            print(f"  PASS {label}: p95 {r['p95_ms']:.0f} ms, 0 errors")
    return all_ok


def print_report(people_results, stress_results, solo, alloc, args, cpu, meta) -> bool:
    print()
    print(
        f"督查台账 load benchmark — {meta['users']} concurrent users, "
        f"{meta['workers']} gunicorn sync workers on {meta['cores']} cores, PostgreSQL, "
        f"DEBUG=0, AS_OF_DATE={AS_OF_DATE}"
    )
    print(
        f"accounts: {meta['units']} unit, {meta['leaders']} leader sessions, {meta['office']} "
        "office; solo = median with one request at a time; p95/floor: against the floor's p95 "
        "measured by the same tool in the same scenario"
    )
    low, high = args.think
    people_conns = {k: v for k, v in alloc.items() if k in MIX}
    people_conns.update(
        floor_py=args.users, report_form=alloc["report"], report_post=alloc["report"]
    )
    print_table(
        f"1. people: {args.users} users, each reading {low:g}–{high:g} s (uniform) between "
        f"pages, {args.people_seconds} s (conn = people)",
        people_results,
        solo,
        people_conns,
        {k: cpu[k] for k in ("p-floor", "p-mix")},
        meta["cores"],
        tool="py",
    )
    stress_conns = dict(alloc, report_form=alloc["report"], report_post=alloc["report"])
    print_table(
        f"2. stress: {args.users} requests always in flight (closed loop, no think time), "
        f"{args.seconds} s: the machine's capacity",
        stress_results,
        solo,
        stress_conns,
        {k: cpu[k] for k in ("floor", "mix")},
        meta["cores"],
    )
    print()
    ok = verdicts(people_results, f"{args.users} people")
    ok = verdicts(stress_results, f"stress, {args.users} requests always in flight") and ok
    ratio = stress_ratio(stress_results)
    print(f"capacity under stress: {ratio['pages_per_s']:.1f} pages/s in the mix")
    print(
        f"stress pages/s ÷ floor req/s (same run, comparable across machines): "
        f"{ratio['pages_per_s']:.1f} ÷ {ratio['floor_req_per_s']:.1f} = {ratio['ratio']:.3f}"
    )
    return ok


def stress_ratio(stress_results: dict) -> dict:
    """The mix's pages/s under stress and the floor's req/s with the same connections."""

    def rate(keep) -> float:
        return sum(
            r["requests"] / r["duration_s"]
            for k, r in stress_results.items()
            if keep(k) and r["duration_s"]
        )

    pages = rate(lambda k: not k.startswith("floor"))
    floor = rate(lambda k: k.startswith("floor"))
    return {"pages_per_s": pages, "floor_req_per_s": floor, "ratio": pages / floor if floor else 0}


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=30, help="per stress scenario (default 30)")
    parser.add_argument(
        "--people-seconds", type=int, default=90, help="per people scenario (default 90)"
    )
    parser.add_argument(
        "--more-people",
        type=int,
        default=0,
        metavar="N",
        help="also run the people scenario with N people (headroom; not the target)",
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="a person's reading time between pages, seconds (default 1 5, as locust's between)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn workers (default cores + 1, deploy/env.example's WEB_CONCURRENCY)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    args = parser.parse_args()
    if args.users < len(MIX) + 1:
        parser.error(f"--users must be at least {len(MIX) + 1}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    for name in ("SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), _on_signal)

    db = f"dudu_bench_{secrets.token_hex(4)}"
    tmp = Path(tempfile.mkdtemp(prefix="dudu-load-"))
    password = secrets.token_urlsafe(18)
    server = None
    db_created = False
    t0 = time.monotonic()
    stack = contextlib.ExitStack()
    try:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "DB_"))
        }
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
            REDIS_URL="redis://127.0.0.1:6379/14",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            AS_OF_DATE=AS_OF_DATE.isoformat(),
            VAR_DIR=str(tmp / "var"),
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONPATH=str(ROOT),
        )
        if args.keep:  # to start the same server again by hand (a random scratch key)
            names = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
            names += ("SECURE_SSL_REDIRECT", "AS_OF_DATE", "VAR_DIR", "PYTHONPATH")
            exports = "".join(f"export {k}='{env[k]}'\n" for k in names)
            (tmp / "env.sh").write_text(
                exports + "export DJANGO_SETTINGS_MODULE=benchmarks.load.settings\n"
            )
        log(f"creating database {db} and running setup …")
        run(["createdb", *PG, db], env, "createdb")
        db_created = True
        run([sys.executable, "manage.py", "setup"], env, "manage.py setup")
        run([sys.executable, "manage.py", "collectstatic", "--noinput"], env, "collectstatic")
        accounts_file = tmp / "accounts.json"
        out = run(
            [sys.executable, "-m", "benchmarks.load.make_accounts", str(accounts_file), password],
            env,
            "make_accounts",
        )
        log(out.strip())
        accounts = json.loads(accounts_file.read_text(encoding="utf-8"))

        port = free_port()
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
                "--graceful-timeout",
                "10",
                "--max-requests",
                "20000",
                "--max-requests-jitter",
                "2000",
                "--no-control-socket",
                "--access-logfile",
                str(tmp / "access.log"),
            ],
            cwd=ROOT,
            env=server_env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_healthy(port, server)
        log(f"gunicorn up on 127.0.0.1:{port} with {args.workers} workers; logging in …")

        def login(username):
            session = Session(port, username)
            session.login(password)
            return session

        with ThreadPoolExecutor(max_workers=args.workers + 1) as pool:
            units = list(pool.map(login, [u["username"] for u in accounts["units"]]))
            leaders = list(pool.map(login, [u["username"] for u in accounts["leaders"]]))
            office = list(pool.map(login, [u["username"] for u in accounts["office"]]))
        for session, info in zip(units, accounts["units"], strict=True):
            session.report_path = info["report_path"]
            session.task_paths = info["task_paths"]
        log(f"{len(units) + len(leaders) + len(office)} sessions in {time.monotonic() - t0:.0f} s")

        # Request lists for wrk: "<path>\t<cookie>" per line, interleaving users.
        current = AS_OF_DATE.isocalendar()
        week = f"{current.year}-W{current.week:02d}"
        previous = AS_OF_DATE - datetime.timedelta(days=7)
        last_week = f"{previous.isocalendar().year}-W{previous.isocalendar().week:02d}"
        lists = {
            "floor": [("/__floor__", s.cookie_header()) for s in units],
            "healthz": [("/healthz", "")],
            "mine": [("/tasks/mine/", s.cookie_header()) for s in units],
            "task": [
                (s.task_paths[i % len(s.task_paths)], s.cookie_header())
                for i in range(6)
                for s in units
            ],
            "portfolio": [
                (info["portfolio_path"], s.cookie_header())
                for s, info in zip(leaders, accounts["leaders"], strict=True)
            ],
            "dashboard": [
                (path, s.cookie_header())
                for path in (
                    f"/?plan={PLAN_KEY}&period={week}",
                    f"/?plan={PLAN_KEY}",
                    f"/?plan={PLAN_KEY}&period={last_week}",
                )
                for s in office
            ],
            "xlsx": [(f"/tasks/?plan={PLAN_KEY}&_export=xlsx", s.cookie_header()) for s in office],
            "reports": [("/reports/", s.cookie_header()) for s in office],
        }
        files = {}
        for key, rows in lists.items():
            files[key] = tmp / f"{key}.txt"
            files[key].write_text("".join(f"{p}\t{c}\n" for p, c in rows), encoding="utf-8")

        alloc = allocate(args.users)
        py_threads = alloc["report"]
        alloc["floor_py"] = py_threads
        alloc["floor_wrk"] = args.users - py_threads
        groups = [units[t::py_threads] for t in range(py_threads)]  # no user in two threads

        log("warm-up: every page type a few times on every worker …")
        warm = Stats()
        warm_deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            jobs = []
            for key, rows in lists.items():
                for i in range(2 * args.workers):
                    path, cookie = rows[i % len(rows)]
                    session = Session(port, "warm")
                    if cookie:
                        session.cookies = dict(c.split("=", 1) for c in cookie.split("; "))
                    jobs.append(pool.submit(_timed, warm, key, session, "GET", path, 200))
            for group in groups:
                jobs.append(pool.submit(report_flow, group[:1], warm, time.monotonic() + 1))
            for job in jobs:
                job.result(timeout=max(1, warm_deadline - time.monotonic()))
        if warm.errors:
            raise RuntimeError(f"warm-up errors: {warm.error_samples}")

        log("solo: each page type alone, one request at a time …")
        solo = measure_solo(port, lists, groups[0])
        meter = CpuMeter(server.pid)
        results, cpu, people_results = {}, {}, {}
        think_time = tuple(args.think)
        for name, floor, where in (
            ("p-floor", True, "on /__floor__"),
            ("p-mix", False, "in the mix"),
        ):
            log(f"scenario people: {args.users} people {where} for {args.people_seconds} s …")
            cpu[name] = run_scenario(
                port,
                args.people_seconds,
                {},
                people(port, alloc, lists, groups, think_time, floor=floor),
                Stats(),
                people_results,
                meter,
            )
        more_results = {}
        if args.more_people:
            n = args.more_people
            more_alloc = allocate(n)
            more_groups = [units[t :: more_alloc["report"]] for t in range(more_alloc["report"])]
            log(f"scenario people: {n} people for {args.people_seconds} s (headroom) …")
            cpu[f"p-{n}"] = run_scenario(
                port,
                args.people_seconds,
                {},
                people(port, more_alloc, lists, more_groups, think_time, floor=False),
                Stats(),
                more_results,
                meter,
            )
        log(f"scenario floor: {args.users} connections on /__floor__ for {args.seconds} s …")
        stats = Stats()
        cpu["floor"] = run_scenario(
            port,
            args.seconds,
            {"floor_wrk": (alloc["floor_wrk"], files["floor"])},
            [(floor_flow, group) for group in groups],
            stats,
            results,
            meter,
        )
        log(f"scenario mix: {args.users} users for {args.seconds} s: {alloc}")
        stats = Stats()
        wrk_jobs = {key: (alloc[key], files[key]) for key in MIX if key != "report"}
        cpu["mix"] = run_scenario(
            port,
            args.seconds,
            wrk_jobs,
            [(report_flow, group) for group in groups],
            stats,
            results,
            meter,
        )
        for key, value in list(results.items()):
            if "p50_us" in value:
                results[key] = normalise_wrk(value)
        meta = {
            "users": args.users,
            "workers": args.workers,
            "cores": os.cpu_count(),
            "units": len(units),
            "leaders": len(leaders),
            "office": len(office),
        }
        ok = print_report(people_results, results, solo, alloc, args, cpu, meta)
        if more_results:
            n = args.more_people
            more_conns = {k: v for k, v in allocate(n).items() if k in MIX}
            more_conns.update(report_form=more_conns["report"], report_post=more_conns["report"])
            print_table(
                f"3. headroom: {n} people, same model (not the target: how far the machine "
                f"goes; p95/floor against table 1's floor)",
                more_results,
                solo,
                more_conns,
                {f"p-{n}": cpu[f"p-{n}"]},
                meta["cores"],
                tool="py",
                floor_from=people_results,
            )
            verdicts(more_results, f"headroom, {n} people")
        if args.json:
            raw = {
                "meta": meta,
                "alloc": alloc,
                "cpu": cpu,
                "solo": solo,
                "people": people_results,
                "stress": results,
                "more_people": more_results,
                "stress_ratio": stress_ratio(results),
            }
            args.json.write_text(json.dumps(raw, indent=1))
        log(f"done in {time.monotonic() - t0:.0f} s")
        return 0 if ok else 1
    except (KeyboardInterrupt, Interrupted) as stop:
        log(f"interrupted ({str(stop) or 'Ctrl-C'}); cleaning up")
        return 130
    except Exception:
        log_file = tmp / "server.log"
        if log_file.exists():
            tail = log_file.read_text(errors="replace").splitlines()[-30:]
            log("gunicorn log (tail):\n" + "\n".join(tail))
        raise
    finally:
        stop_server(server)
        stack.close()
        if args.keep:
            log(f"kept database {db} and {tmp}")
        else:
            if db_created:
                subprocess.run(["dropdb", *PG, "--force", "--if-exists", db], check=False)
            shutil.rmtree(tmp, ignore_errors=True)
            log(f"cleaned up: gunicorn stopped, {db} dropped, {tmp} removed")


if __name__ == "__main__":
    sys.exit(main())
