"""One county's pages in the province database beside the same county alone.

    .venv/bin/python benchmarks/province_pages.py [--province-db dudu_province_bench]
        [--single-db dudu_province_bench_1] [--repeat 3] [--requests 20] [--seconds 10]

Both databases come from benchmarks/province.py and hold the same county, report for report
(the generator's pattern does not depend on the county): the province one with 160 counties
(~2.9 M reports; built beforehand), the single one with that county alone (built here with
`--counties 1` when missing, ~40 s). So the ratio says what 159 other counties in the same
tables cost one county's users, nothing else. AS_OF_DATE=2022-12-28 (week 52 open, 51 weeks
of reports behind it).

Two gunicorns (load.py's flags, production settings, 3 sync workers each) run side by side,
one per database; only one is measured at a time, alternating province/single --repeat
times, and the medians are printed. Pages, for the users of the last county (accounts made by
benchmarks/load/make_accounts.py, 20 unit reporters, the county's leaders, one office
account): office dashboard (`/?plan=`), 我的任务, leader portfolio, task list, task page.
c=1: median of --requests requests one at a time; c=10: p95 under wrk with 10 connections
for --seconds. Then queries per page (benchmarks/load/query_counts.py: cold and warm) in both.
Target: province ≤ 2× single, at c=1 p50 and c=10 p95.
"""

import argparse
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

from benchmarks.load import bench_server as bs  # noqa: E402

AS_OF = "2022-12-28"
TARGET_RATIO = 2.0


def log(message: str) -> None:
    print(f"[province-pages {bs.stamp()}] {message}", file=sys.stderr, flush=True)


def county_of(db: str) -> str:
    """The slug of the plan whose users have accounts (the last county)."""
    rows = bs.psql(db, "SELECT count(*) FROM tasks_plan")
    n = int(rows[0][0])
    return "2022" if n == 1 else f"2022-c{n:03d}"


def prepare(db: str, tmp: Path, password: str, workers: int, name: str) -> dict:
    env = bs.env_for(db, AS_OF, tmp / f"var-{name}")
    bs.load.run([sys.executable, "manage.py", "collectstatic", "--noinput"], env, "collectstatic")
    slug = county_of(db)
    accounts = bs.make_accounts(env, tmp, password, slug)
    server = bs.Server(env, tmp, workers, name)
    port = server.start()
    pages = bs.page_lists(port, accounts, password, slug)
    bs.warm(port, pages["lists"], workers)
    return {"env": env, "server": server, "port": port, "slug": slug, **pages}


def measure(side: dict, args, tmp: Path) -> dict:
    out = {}
    for key in ("bare", "floor", *bs.PAGES):
        rows = side["lists"][key]
        out[key] = {
            "c1": bs.c1(side["port"], rows, args.requests),
            "c10": bs.c10(side["port"], rows, args.seconds, tmp)["p95_ms"],
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--province-db", default="dudu_province_bench")
    parser.add_argument("--single-db", default="dudu_province_bench_1")
    parser.add_argument("--repeat", type=int, default=3, help="alternations (default 3)")
    parser.add_argument("--requests", type=int, default=20, help="c=1 requests per page")
    parser.add_argument("--seconds", type=int, default=10, help="c=10 seconds per page")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    if (
        bs.psql(
            "postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{args.province_db}'"
        )[0][0]
        != "1"
    ):
        parser.error(f"{args.province_db} missing: build it with benchmarks/province.py")
    exists = bs.psql(
        "postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{args.single_db}'"
    )[0][0]
    if exists != "1":
        log(f"building {args.single_db} (benchmarks/province.py --counties 1) …")
        subprocess.run(
            [sys.executable, "benchmarks/province.py", "--counties", "1", "--db", args.single_db],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    tmp = Path(tempfile.mkdtemp(prefix="dudu-province-"))
    password = secrets.token_urlsafe(18)
    sides = {}
    t0 = time.monotonic()
    try:
        for name, db in (("province", args.province_db), ("single", args.single_db)):
            log(f"{name}: {db}: accounts, gunicorn, logins, warm-up …")
            sides[name] = prepare(db, tmp, password, args.workers, name)
        runs = {"province": [], "single": []}
        for i in range(args.repeat):
            for name in ("province", "single"):
                log(f"run {i + 1}/{args.repeat}: {name} …")
                runs[name].append(measure(sides[name], args, tmp))
        counts = {
            name: bs.query_counts(side["env"], tmp, side["lists"], side["users"])
            for name, side in sides.items()
        }
        rss = {name: side["server"].worker_rss_mib() for name, side in sides.items()}
        ok = report(runs, counts, rss, sides, args)
        log(f"done in {time.monotonic() - t0:.0f} s")
        return 0 if ok else 1
    finally:
        for side in sides.values():
            side["server"].stop()
        shutil.rmtree(tmp, ignore_errors=True)


def medians(runs: list[dict], key: str, what: str) -> float:
    return statistics.median(run[key][what] for run in runs)


def report(runs, counts, rss, sides, args) -> bool:
    print()
    print(
        f"One county's pages: province ({args.province_db}, plan {sides['province']['slug']}) "
        f"vs the same county alone ({args.single_db}); AS_OF_DATE={AS_OF}, "
        f"{args.workers} gunicorn workers each, medians of {args.repeat} alternating runs "
        "(2 shared cores)"
    )
    header = (
        f"{'page':<24} {'c=1 p50 prov':>12} {'single':>8} {'ratio':>6}  "
        f"{'c=10 p95 prov':>13} {'single':>8} {'ratio':>6}  {'queries prov/single':>20}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for key in ("bare", "floor", *bs.PAGES):
        p1, s1 = medians(runs["province"], key, "c1"), medians(runs["single"], key, "c1")
        p10, s10 = medians(runs["province"], key, "c10"), medians(runs["single"], key, "c10")
        q = ""
        if key in counts["province"]:
            cp, cs = counts["province"][key], counts["single"][key]
            q = f"{cp['warm']}/{cs['warm']} (cold {cp['cold']}/{cs['cold']})"
        print(
            f"{bs.LABELS[key]:<24} {p1:>9.1f} ms {s1:>5.1f} ms {p1 / s1:>5.2f}x  "
            f"{p10:>10.1f} ms {s10:>5.1f} ms {p10 / s10:>5.2f}x  {q:>20}"
        )
        if key not in ("bare", "floor"):
            ok = ok and p1 / s1 <= TARGET_RATIO and p10 / s10 <= TARGET_RATIO
    for name, sizes in rss.items():
        print(f"gunicorn worker RSS, {name}: " + ", ".join(f"{s:.0f} MiB" for s in sizes))
    print(f"{'PASS' if ok else 'FAIL'}: every page within {TARGET_RATIO:g}x of the county alone")
    return ok


if __name__ == "__main__":
    sys.exit(main())
