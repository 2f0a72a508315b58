"""gunicorn benchmarks.load.floor_wsgi:application — config.wsgi with the floor view added."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load.settings"

from config.wsgi import application  # noqa: F401
