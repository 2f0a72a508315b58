import os
import tempfile

import pytest

from . import shipped

# pytest-xdist (bin/test runs `-n auto --dist loadgroup`) sets this in each worker: gw0, gw1…
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_configure(config):
    # Registered here too, so that --strict-markers accepts it when xdist is off (-p no:xdist).
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")


def pytest_itemcollected(item):
    """The unit of work an xdist worker gets (with --dist loadgroup): a test class (its
    setUpClass and setUpTestData run once), a module's test functions (module fixtures), and
    all browser scenarios together (one server; they run in file order and share state). The
    axe scan of every page (the longest test, and independent of the scenarios: it finds or
    makes the objects it needs) is a group of its own, so that it runs beside them on another
    worker, with a server of its own."""
    path = item.nodeid.split("::")[0]
    if path == "tests/e2e/test_axe.py":
        group = "e2e-axe"
    elif path.startswith("tests/e2e/"):
        group = "e2e"
    elif getattr(item, "cls", None) is not None:
        group = f"{path}::{item.cls.__name__}"
    else:
        group = path
    item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database and its clone for the shipped data (tests/shipped.py)."""
    with django_db_blocker.unblock():
        shipped.prepare()
    yield
    with django_db_blocker.unblock():
        shipped.drop()


@pytest.fixture(autouse=True, scope="session")
def celery_queue_of_this_worker():
    """Under xdist each worker sends and consumes its jobs on a queue of its own (CELERY_QUEUE,
    inherited by the worker and web processes tests start), so that a Celery worker never runs
    a job another xdist worker sent about a row of its own test database. Without xdist: the
    default queue."""
    from django.conf import settings

    if XDIST_WORKER and settings.configured:
        from config.celery import app

        queue = f"celery-{XDIST_WORKER}"
        os.environ["CELERY_QUEUE"] = queue
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        app.conf.task_default_queue = queue
    yield


@pytest.fixture(autouse=True, scope="session")
def private_media_root():
    """Uploaded evidence goes to a throwaway directory, never into var/ of the work tree."""
    from django.conf import settings

    if not settings.configured:  # pure tests run without Django (-p no:django)
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="dudu-media-") as path:
        settings.MEDIA_ROOT = path
        yield path


@pytest.fixture(autouse=True, scope="session")
def figures_kept_per_process():
    """Kept figures (tasks.revision) in a per-process cache, cleared before each test: never a
    Redis or a directory shared with other test processes or another engineer's runs.
    Processes the tests start (Celery workers) inherit FIGURES_CACHE."""
    from django.conf import settings

    if not settings.configured:
        yield None
        return
    from django.test.utils import override_settings

    os.environ["FIGURES_CACHE"] = "locmem"
    caches = dict(settings.CACHES)
    caches[settings.FIGURES_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures-tests",
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def forget_remembered_figures(figures_kept_per_process):
    """Each test starts with nothing remembered in this process (tasks.revision)."""
    from django.conf import settings

    if settings.configured:
        from tasks import revision

        revision.forget()
    yield


@pytest.fixture(autouse=True, scope="session")
def sessions_as_in_production():
    """Sessions are read from a cache and written through to the database, as in production
    (SESSION_STORE=cache, config/settings.py), so that tests and query counts take that path
    also where no Redis is configured: there a per-process cache stands in for Redis (a test
    run is one process per xdist worker)."""
    from django.conf import settings

    if settings.configured and not settings.SESSION_ENGINE.endswith("cached_db"):
        settings.CACHES["sessions"] = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sessions",
        }
        settings.SESSION_CACHE_ALIAS = "sessions"
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
