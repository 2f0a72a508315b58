"""End-to-end fixtures: the real app in subprocesses, driven by Chromium through Playwright.

The package-scoped `app_server` runs `manage.py setup`, `manage.py runserver --noreload` on a
free port and a Celery worker (solo pool), all against a database of their own: a uniquely
named scratch database beside DATABASE_URL's when that is PostgreSQL (created with createdb,
dropped at the end), else a SQLite file in a temporary directory. REDIS_URL is passed on when
set (CI); without it the worker and the web process share a file broker under the temporary
VAR_DIR. The app runs as of 2022-05-18, so the 2022 plan is live (week 2022-W20 open).

`ui` (one per test) opens browser contexts, logs people in, takes the screenshots and fails the
test on any console error, page error or 5xx response it has not been told to expect.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AS_OF_DATE = "2022-05-18"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}  # the common office laptop
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
# Chromium reports every HTTP error status of a page or resource as a console error.
HTTP_STATUS_ERROR = re.compile(r"the server responded with a status of (\d{3})")

PASSWORDS = {
    "ducha": "demo-ducha-2022",
    "zhangya": "demo-leader-2022",
    "fgj": "demo-fgj-2022",
    "fgj-head": "demo-fgjhead-2022",
    "tangyi": "demo-tangyi-2022",
    "admin": "demo-admin-2022",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path} missing)"
    return "\n".join(text.splitlines()[-lines:])


class ScratchDatabase:
    """A database nobody else uses, and the DATABASE_URL that names it."""

    def __init__(self, workdir: Path):
        self.url = os.environ.get("DATABASE_URL", "")
        self.pg = urlsplit(self.url).scheme.lower() in {"postgres", "postgresql", "pgsql"}
        if not self.pg:
            self.url = f"sqlite:///{workdir / 'e2e.sqlite3'}"
            return
        parts = urlsplit(self.url)
        self.name = f"dudu_e2e_{os.getpid()}_{secrets.token_hex(3)}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        self.args += ["-U", parts.username or "postgres"]
        self.env = dict(os.environ)
        if parts.password:
            self.env["PGPASSWORD"] = parts.password

    def create(self) -> None:
        if self.pg:
            subprocess.run(
                ["createdb", *self.args, self.name], check=True, env=self.env, timeout=60
            )

    def drop(self) -> None:
        if self.pg:
            subprocess.run(
                ["dropdb", *self.args, "--if-exists", "--force", self.name],
                check=False,
                env=self.env,
                timeout=60,
            )


class LiveServer:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.url = ""
        self.env: dict[str, str] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        self.logs[name] = log
        with log.open("wb") as out:
            process = subprocess.Popen(
                args,
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its children
            )
        self.processes[name] = process
        return process

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{_tail(self.logs[name])}")

    def diagnostics(self) -> str:
        return "\n".join(f"--- {name} log ---\n{_tail(path)}" for name, path in self.logs.items())


@pytest.fixture(scope="package")
def app_server():
    """The app as a user meets it: web server and Celery worker on a fresh database."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
    workdir = Path(tempfile.mkdtemp(prefix="dudu-e2e-"))
    database = ScratchDatabase(workdir)
    server = LiveServer(workdir)
    env = dict(os.environ)
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database.url,
        AS_OF_DATE=AS_OF_DATE,
        VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        DEBUG="1",
        LOGIN_MAX_FAILURES="5",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The group robot / SMS walk posts to a fake gateway on loopback (never a real host).
        NOTIFY_TEST_LOOPBACK="1",
        NOTIFY_ALLOWED_HOSTS="127.0.0.1",
        NOTIFY_RETRY_SECONDS="1",
        SITE_URL="https://ducha.example.gov.cn",
    )
    if not os.environ.get("REDIS_URL"):
        env.pop("REDIS_URL", None)
    server.env = env
    database.create()
    try:
        setup = subprocess.run(
            [sys.executable, "manage.py", "setup"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if setup.returncode != 0:
            pytest.fail(f"manage.py setup failed:\n{setup.stdout}\n{setup.stderr}")
        port = _free_port()
        server.url = f"http://127.0.0.1:{port}"
        server.start(
            "web", [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
        )
        server.start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "-l",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )
        _wait_until_serving(server)
        yield server
    finally:
        server.stop()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_serving(server: LiveServer, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            with urllib.request.urlopen(f"{server.url}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer within {seconds} s\n{server.diagnostics()}")


@pytest.fixture(scope="package")
def browser(app_server):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="package")
def screenshot_dir():
    path = Path(os.environ.get("E2E_SCREENSHOTS") or BASE_DIR / "var" / "e2e-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("s[0-9]-*.png"):  # only our own earlier shots
        old.unlink(missing_ok=True)  # another xdist worker may be clearing them too
    return path


@pytest.fixture(scope="package")
def shared():
    """What one scenario leaves for the next (they run in file order)."""
    return {}


class UI:
    """Browser contexts for one scenario, its screenshots and the errors the pages report."""

    def __init__(self, browser, server: LiveServer, shots: Path, scenario: str):
        self.browser, self.server, self.shots, self.scenario = browser, server, shots, scenario
        self.url = server.url
        self.errors: list[str] = []
        self.expected_statuses: set[int] = set()
        self.contexts = []
        self.step = 0

    # --- contexts and pages -------------------------------------------------------------
    def new_page(self, viewport=DESKTOP, storage_state=None):
        phone = viewport["width"] < 600
        context = self.browser.new_context(
            base_url=self.url,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=phone,
            has_touch=phone,
            accept_downloads=True,
            storage_state=storage_state,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self._watch)
        self.contexts.append(context)
        return context.new_page()

    def _watch(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"page error on {page.url}: {error}"))
        page.on("response", lambda response: self._response(response))

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        found = HTTP_STATUS_ERROR.search(message.text)
        if found and int(found.group(1)) in self.expected_statuses:
            return
        where = message.location.get("url") or page.url
        self.errors.append(f"console error on {where}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"HTTP {response.status} for {response.url}")

    @contextlib.contextmanager
    def expecting(self, *statuses: int):
        """Refusals the scenario provokes (403, 404, 429) are not console errors to fail on."""
        previous = set(self.expected_statuses)
        self.expected_statuses |= set(statuses)
        try:
            yield
        finally:
            self.expected_statuses = previous

    def login(self, username: str, password: str | None = None):
        """A fresh desktop browser; the person logs in and lands on his or her start page."""
        page = self.new_page()
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password or PASSWORDS[username])
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert "/login/" not in page.url, f"{username} could not log in: {page.content()[:2000]}"
        return page

    # --- screenshots --------------------------------------------------------------------
    def shot(self, page, step: str, phone: bool = False) -> None:
        """<scenario>-<nn>-<step>-1366.png, and the same URL at 390 px when `phone`."""
        self.step += 1
        name = f"{self.scenario}-{self.step:02d}-{step}"
        page.screenshot(path=self.shots / f"{name}-{DESKTOP['width']}.png", full_page=True)
        if phone:
            state = page.context.storage_state()
            small = self.new_page(viewport=PHONE, storage_state=state)
            small.goto(page.url)
            small.screenshot(path=self.shots / f"{name}-{PHONE['width']}.png", full_page=True)
            small.context.close()

    # --- checks -------------------------------------------------------------------------
    def assert_no_errors(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "errors in the browser:\n" + "\n".join(errors)

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):
                context.close()


@pytest.fixture
def ui(request, browser, app_server, screenshot_dir):
    scenario = request.node.name.split("_")[1]  # test_s1_… → s1
    session = UI(browser, app_server, screenshot_dir, scenario)
    yield session
    session.close()
    app_server.check_alive()
    session.assert_no_errors()
