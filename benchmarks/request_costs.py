"""Server time of single pages, in-process (no HTTP, no gunicorn): where a request's time goes.

    env $(cat /work/env/NAME) AS_OF_DATE=2022-05-18 .venv/bin/python benchmarks/request_costs.py
    ... --profile /__floor__      # cProfile of 500 floor requests, top 25 by cumulative time

Runs against the database of the environment (after `manage.py setup`: the 2022 plan with 19
weeks of demo reports) with production settings (DEBUG=0, manifest static files: it runs
`collectstatic` into a temp dir first) plus the /__floor__ view of benchmarks/load. Each page is
requested through the WSGI handler with a logged-in session cookie, warmed up, then timed
`--repeat` times; it prints the median and the best in ms and the query count. `bare` is the
floor view through a handler with no middleware at all, the floor of the floor.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load.settings"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="request-costs-static-")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", metavar="PATH")
    parser.add_argument("--profile-n", type=int, default=500)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--user", default="ducha")
    parser.add_argument("--queries", metavar="PATH", help="each query of one request, timed")
    parser.add_argument(
        "--plain",
        default="",
        help="comma-separated: the library's own path instead of ours, to measure what ours "
        "saves: tbody (django-tables2's table.html rows), select (Django's Select template)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="each fast path against the library's, requests interleaved (A, B, A, B…) in one "
        "process so that the machine's load falls on both alike",
    )
    parser.add_argument(
        "--middleware",
        metavar="PATH",
        help="what each middleware costs on PATH: the full stack against the stack without it, "
        "interleaved",
    )
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()

    import django

    plain = {p for p in args.plain.split(",") if p}
    overrides = Path(tempfile.mkdtemp(prefix="request-costs-templates-"))
    from django.conf import settings as lazy

    lazy.TEMPLATES[0]["DIRS"].insert(0, overrides)
    django.setup()
    if "tbody" in plain or args.compare:
        # Stock rows (django_tables2/table.html's tbody) with our data-label, in our template.
        source = (ROOT / "templates/common/table.html").read_text()
        stock = (
            "<tbody {{ table.attrs.tbody.as_html }}>{% for row in table.paginated_rows %}"
            "<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
            '<td {{ column.attrs.td.as_html }} data-label="{{ column.header|striptags }}">'
            "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}"
            "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
            "{% endfor %}</tr>{% empty %}{% if table.empty_text %}<tr><td colspan="
            '"{{ table.columns|length }}">{{ table.empty_text }}</td></tr>{% endif %}'
            "{% endfor %}</tbody>"
        )
        source = source.replace(
            "<tbody {{ table.attrs.tbody.as_html }}>{% table_rows table %}</tbody>", stock
        ).replace("{% load django_tables2 table_rows %}", "{% load django_tables2 l10n %}")
        (overrides / "bench").mkdir()
        (overrides / "bench/table_stock.html").write_text(source)
        if "tbody" in plain:
            (overrides / "common").mkdir()
            (overrides / "common/table.html").write_text(source)
    if "select" in plain:
        from django import forms

        from common.widgets import FastSelect

        FastSelect.render = forms.Select.render
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    call_command("collectstatic", interactive=False, verbosity=0)

    def cookie_of(username: str) -> str:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    cookies = {args.user: cookie_of(args.user), "fgj": cookie_of("fgj")}
    handler = WSGIHandler()
    with override_settings(MIDDLEWARE=[]):
        bare = WSGIHandler()

    def environ(path: str, user: str) -> dict:
        path, _, query = path.partition("?")
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookies[user],
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }

    def once(app, path: str, user: str = args.user) -> tuple[float, int, float]:
        statuses = []
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            start, cpu = time.perf_counter(), time.process_time()
            body = b"".join(app(environ(path, user), lambda s, h: statuses.append(s)))
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - cpu) * 1000
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]} {body[:200]!r}")
        return elapsed, len(queries), cpu

    if args.queries:
        once(handler, args.queries)

        def timed(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                print(f"{(time.perf_counter() - start) * 1000:7.2f} ms  {sql[:150]}")

        with connection.execute_wrapper(timed):
            once(handler, args.queries)
        return

    if args.middleware:
        print(f"{'without':<55} {'CPU ms':>7} {'full':>7} {'saves':>6}")
        for name in settings.MIDDLEWARE:
            if name.endswith(("SessionMiddleware", "AuthenticationMiddleware")):
                continue  # the others need them: their cost is the session and user queries
            with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != name]):
                without = WSGIHandler()
            a, b = _interleaved(
                lambda w=without: once(w, args.middleware),
                lambda: once(handler, args.middleware),
                args.repeat,
            )
            print(f"{name:<55} {a:>7.3f} {b:>7.3f} {b - a:>6.3f}")
        return

    if args.compare:
        compare(once, handler, args.repeat)
        return

    if args.profile:
        for _ in range(20):
            once(handler, args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile_n):
            once(handler, args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return

    from tasks.models import Task

    def task_url(number):
        return Task.objects.get(plan__slug="2022", number=number).get_absolute_url()

    pages = args.paths or [
        "/__floor__",
        "/tasks/?plan=2022",
        "/tasks/review/",
        task_url("69") + "?plan=2022",
        task_url("125"),
        "/",
    ]
    print(f"{'page':<40} {'median ms':>10} {'best ms':>8} {'CPU ms':>7} {'queries':>8}")
    rows = [("bare (no middleware) /__floor__", bare, "/__floor__")]
    rows += [(p, handler, p) for p in pages]
    for label, app, path in rows:
        for _ in range(5):
            once(app, path)
        times, cpus, counts = [], [], set()
        for _ in range(args.repeat):
            ms, n, cpu = once(app, path)
            times.append(ms)
            cpus.append(cpu)
            counts.add(n)
        print(
            f"{label:<40} {statistics.median(times):>10.2f} {min(times):>8.2f} "
            f"{statistics.median(cpus):>7.2f} "
            f"{'/'.join(map(str, sorted(counts))):>8}"
        )


def _interleaved(run_a, run_b, repeat: int) -> tuple[float, float]:
    """Median CPU ms of run_a and of run_b, called alternately."""
    for _ in range(3):
        run_a(), run_b()
    a, b = [], []
    for _ in range(repeat):
        for fn, into in ((run_a, a), (run_b, b)):
            start = time.process_time()
            fn()
            into.append((time.process_time() - start) * 1000)
    return statistics.median(a), statistics.median(b)


def compare(once, handler, repeat: int) -> None:
    from django import forms
    from django_tables2 import Table

    from common.widgets import FastSelect

    def toggle_table_template(stock: bool):
        def getter(self):
            return "bench/table_stock.html" if stock else "common/table.html"

        Table.template_name = property(getter, lambda self, value: None)

    def toggle_select(stock: bool):
        FastSelect.render = forms.Select.render if stock else FAST_RENDER

    FAST_RENDER = FastSelect.render

    from common import tables as base_tables

    PRESIGNED = base_tables._presigned

    def toggle_presigned(stock: bool):
        base_tables._presigned = (lambda fn: fn) if stock else PRESIGNED

    toggles = {
        "tbody": toggle_table_template,
        "select": toggle_select,
        "signature": toggle_presigned,
    }
    pages = [
        ("ducha", "/tasks/?plan=2022"),
        ("ducha", "/tasks/review/"),
        ("fgj", "/tasks/mine/?plan=2022"),
        ("ducha", "/"),
    ]
    print(f"{'part':<10} {'page':<28} {'ours CPU ms':>12} {'library':>8} {'saves':>6}")
    for name, toggle in toggles.items():
        for user, page in pages:

            def ours(page=page, user=user, toggle=toggle):
                toggle(False)
                once(handler, page, user)

            def library(page=page, user=user, toggle=toggle):
                toggle(True)
                once(handler, page, user)

            a, b = _interleaved(ours, library, repeat)
            toggle(False)
            print(f"{name:<10} {page:<28} {a:>12.2f} {b:>8.2f} {b - a:>6.2f}")


if __name__ == "__main__":
    main()
