"""The app's own settings, with a URLConf that adds the bare floor view (/__floor__)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
