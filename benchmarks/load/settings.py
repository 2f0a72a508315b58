"""The app's own settings, with a URLConf that adds the bare floor view (/__floor__) and a
response header naming the worker (benchmarks/load/worker_header.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
MIDDLEWARE = [*MIDDLEWARE, "benchmarks.load.worker_header.worker_header"]  # noqa: F405
