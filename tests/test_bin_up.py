"""bin/up runs exactly one beat: bin/beat-lock refuses a second one while the first — or a
worker it left behind — runs, and the lock is free again once they have gone."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "bin" / "beat-lock"

pytestmark = pytest.mark.skipif(shutil.which("flock") is None, reason="needs flock (util-linux)")


def _lock(var, *command, **kwargs):
    env = {**os.environ, "VAR_DIR": str(var)}
    return subprocess.Popen([str(LOCK), *command], env=env, stderr=subprocess.PIPE, text=True,
                            **kwargs)  # fmt: skip


def _wait_file(path: Path, timeout=10):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_bin_up_is_valid_bash_and_runs_the_worker_under_the_lock():
    subprocess.run(["bash", "-n", str(ROOT / "bin" / "up")], check=True)
    text = (ROOT / "bin" / "up").read_text()
    assert "setsid bin/beat-lock .venv/bin/celery -A config worker --beat" in text
    assert "trap stop EXIT INT TERM HUP" in text and 'wait "$worker"' in text


def test_a_second_beat_is_refused_while_the_first_runs(tmp_path):
    started = tmp_path / "started"
    first = _lock(tmp_path, "bash", "-c", f"touch {started}; sleep 30")
    try:
        _wait_file(started)
        second = _lock(tmp_path, "true")
        assert second.wait(timeout=10) == 75
        assert "already running" in second.stderr.read()
    finally:
        first.kill()
        first.wait()
    again = _lock(tmp_path, "true")
    assert again.wait(timeout=10) == 0  # the first has gone: the lock is free


def test_an_orphan_left_behind_keeps_the_lock(tmp_path):
    """A closed terminal kills bin/up but not the worker: that orphan still holds the lock."""
    started = tmp_path / "started"
    pidfile = tmp_path / "orphan.pid"
    parent = _lock(tmp_path, "bash", "-c",
                   f"sleep 30 & echo $! > {pidfile}; touch {started}; wait",
                   start_new_session=True)  # fmt: skip
    _wait_file(started)
    orphan = int(pidfile.read_text())
    parent.send_signal(signal.SIGKILL)  # bin/up and the shell die; the child lives on
    parent.wait()
    try:
        second = _lock(tmp_path, "true")
        assert second.wait(timeout=10) == 75
    finally:
        os.kill(orphan, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _lock(tmp_path, "true").wait(timeout=10) != 0:
        assert time.monotonic() < deadline, "the lock stayed taken after the orphan died"
        time.sleep(0.1)
