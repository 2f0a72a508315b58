"""Redmine's counterparts of issue 15's pages, measured on a running Redmine, logged in.

    .venv/bin/python benchmarks/redmine_pages.py [--url http://127.0.0.1:3025] [--user bench]
        [--password dudu-bench-2022] [--requests 20] [--seconds 10] [--wrk-threads 2]
        [--json OUT]

The Redmine of benchmarks/redmine/setup.sh (Debian's redmine 5, SQLite, puma, production)
with the plan that benchmarks/redmine/load_tasks.py loads (146 issues in project dudu-2022, the
issue of task 19 with 10 notes). The user logs in through the login form (a session cookie, as
a browser; Redmine takes API keys on its API only), then for each page: a warm-up of --warmup
requests, c=1 p50 (median of --requests sequential requests, one connection each: the client
benchmarks/targets.py times the app with) and c=10 p95 (wrk, 10 connections, --seconds,
--wrk-threads threads, benchmarks/load/pages.lua whose done() hook prints p50/p95/p99; any
status but 200 is an error). Pages, as issue 15 pairs them with the app's:

    issues_25    /projects/dudu-2022/issues?per_page=25    task list
    issues_100   /projects/dudu-2022/issues?per_page=100   task list (100 rows)
    my_page      /my/page                                  我的任务
    overview     /projects/dudu-2022                       office dashboard
    issue_notes  /issues/ID (10 notes)                     task page

Prints one JSON object (also written to --json): per page path, c1_p50_ms, c10_p95_ms,
c10_p50_ms, c10_req_s. benchmarks/targets.py --redmine calls measure() in its own run.
Loopback only: the URL's host must be 127.0.0.1 or localhost.
"""

import argparse
import json
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.load import bench_server as bs  # noqa: E402

load = bs.load
PROJECT = "dudu-2022"
NOTED_TASK = "19"  # load_tasks.py --notes-task
TOKEN_RE = re.compile(rb'name="authenticity_token" value="([^"]+)"')
ISSUE_RE = re.compile(
    r'<tr id="issue-(\d+)"[^>]*>.*?<td class="subject">\s*<a [^>]*>([^<]*)</a>', re.S
)
PAGES = {
    "issues_25": f"/projects/{PROJECT}/issues?per_page=25",
    "issues_100": f"/projects/{PROJECT}/issues?per_page=100",
    "my_page": "/my/page",
    "overview": f"/projects/{PROJECT}",
    "issue_notes": None,  # /issues/ID, found in the list
}
LABELS = {
    "issues_25": "issues list, 25 rows",
    "issues_100": "issues list, 100 rows",
    "my_page": "/my/page",
    "overview": "project overview",
    "issue_notes": "an issue with 10 notes",
}
# The app's page (benchmarks/targets.py) -> its Redmine counterpart, as issue 15 pairs them.
COUNTERPART = {
    "task_list": "issues_25",
    "mine": "my_page",
    "dashboard": "overview",
    "task_small": "issue_notes",
    "task_large": "issue_notes",
}


def port_of(url: str) -> int:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.path not in ("", "/"):
        raise SystemExit(f"--redmine {url}: only http://127.0.0.1:PORT (loopback, no path)")
    return parts.port or 80


def login(port: int, user: str, password: str) -> str:
    """The Cookie header of a session logged in through Redmine's login form."""
    session = load.Session(port, user)
    status, _, body, _ = session.request("GET", "/login")
    token = TOKEN_RE.search(body)
    if status != 200 or not token:
        raise RuntimeError(f"Redmine GET /login gave {status}")
    form = {"authenticity_token": token.group(1).decode(), "username": user, "password": password}
    status, headers, _, _ = session.request("POST", "/login", form)
    if status != 302 or "/login" in (headers.get("Location") or ""):
        raise RuntimeError(f"Redmine login of {user} gave {status} {headers.get('Location')}")
    return session.cookie_header()


def noted_issue(port: int, cookie: str) -> str:
    """/issues/ID of the task with the notes, from the 100-row list (subject "19. …")."""
    for page in (1, 2):
        session = load.Session(port, "bench")
        session.cookies = load.cookie_dict(cookie)
        path = f"/projects/{PROJECT}/issues?per_page=100&page={page}&set_filter=1&status_id=*"
        status, _, body, _ = session.request("GET", path)
        for issue_id, subject in ISSUE_RE.findall(body.decode("utf-8", "replace")):
            if subject.startswith(f"{NOTED_TASK}. "):
                return f"/issues/{issue_id}"
    raise RuntimeError(f"no issue of task {NOTED_TASK} in {PROJECT}: run load_tasks.py")


def wrk(port: int, path: str, cookie: str, seconds: int, threads: int, tmp: Path) -> dict:
    """c=10 under wrk with pages.lua (its done() hook prints p95), `threads` threads."""
    list_file = tmp / f"wrk-{secrets.token_hex(4)}.txt"
    list_file.write_text(f"{path}\t{cookie}\n", encoding="utf-8")
    command = ["wrk", f"-t{threads}", "-c10", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    command += ["-s", str(load.HELPERS / "pages.lua"), f"http://127.0.0.1:{port}", "--"]
    process = subprocess.Popen(
        [*command, str(list_file)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    result = load.wrk_result(process, seconds + 90)
    result["connections"] = 10
    out = load.normalise_wrk(result)
    if out["errors"]:
        raise RuntimeError(f"wrk errors on Redmine {path}: {out['error_sample']}")
    return out


def measure(url, user, password, requests=20, seconds=10, wrk_threads=2, warmup=5, log=None):
    """{page: {path, c1_p50_ms, c10_p95_ms, c10_p50_ms, c10_req_s}} of a running Redmine."""
    port = port_of(url)
    cookie = login(port, user, password)
    paths = dict(PAGES, issue_notes=noted_issue(port, cookie))
    results = {}
    with tempfile.TemporaryDirectory(prefix="redmine-pages-") as tmp:
        for key, path in paths.items():
            if log:
                log(f"Redmine {key} {path}: c=1 ×{requests}, c=10 {seconds} s …")
            for _ in range(warmup):
                bs.get(port, path, cookie)
            c1 = statistics.median(bs.get(port, path, cookie)[0] for _ in range(requests))
            c10 = wrk(port, path, cookie, seconds, wrk_threads, Path(tmp))
            results[key] = {
                "path": path,
                "c1_p50_ms": round(c1, 2),
                "c10_p95_ms": round(c10["p95_ms"], 2),
                "c10_p50_ms": round(c10["p50_ms"], 2),
                "c10_req_s": round(c10["requests"] / c10["duration_s"], 1),
            }
    return results


def measure_rounds(url, user, password, rounds=3, log=None, **kwargs) -> dict:
    """measure() `rounds` times: {"medians": {page: figures}, "rounds": [...]}."""
    runs = []
    for i in range(rounds):
        if log:
            log(f"Redmine round {i + 1}/{rounds} at {url} …")
        runs.append(measure(url, user, password, log=log, **kwargs))
    medians = {
        key: dict(
            runs[0][key],
            **{m: statistics.median(r[key][m] for r in runs) for m in runs[0][key] if m != "path"},
        )
        for key in runs[0]
    }
    return {"url": url, "medians": medians, "rounds": runs}


def as_reference(results: dict) -> dict:
    """targets.py's REDMINE form, {app page: (c=1 p50, c=10 p95, label)}, from measure()."""
    out = {}
    for page, key in COUNTERPART.items():
        r = results[key]
        label = LABELS[key] + " (measured)"
        if key == "issues_25":
            label += f"; 100 rows: {results['issues_100']['c1_p50_ms']:.1f} ms"
        out[page] = (r["c1_p50_ms"], r["c10_p95_ms"], label)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:3025")
    parser.add_argument("--user", default="bench")
    parser.add_argument("--password", default="dudu-bench-2022")
    parser.add_argument("--requests", type=int, default=20, help="c=1 requests per page")
    parser.add_argument("--seconds", type=int, default=10, help="c=10 seconds per page")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    pages = measure(
        args.url,
        args.user,
        args.password,
        args.requests,
        args.seconds,
        args.wrk_threads,
        args.warmup,
        log=lambda m: print(f"[redmine {bs.stamp()}] {m}", file=sys.stderr, flush=True),
    )
    out = {"url": args.url, "user": args.user, "requests": args.requests}
    out.update(seconds=args.seconds, wrk_threads=args.wrk_threads, pages=pages)
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
