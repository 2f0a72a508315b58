"""Queries per page, in-process with Django's test client, against a benchmark's database.

    python -m benchmarks.load.query_counts PAGES.json

PAGES.json: {"key": [path, username], …}. For each page the user is logged in (force_login),
the page is fetched once to warm what it remembers, then again with the queries captured:
prints one line "QUERY_COUNTS {key: {"cold": n, "warm": n, "status": code}}". Run by
benchmarks/province_pages.py and benchmarks/targets.py with the same settings as the server
(production settings, the benchmark's AS_OF_DATE); `testserver` is added to ALLOWED_HOSTS.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.load.settings")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "127.0.0.1") + ",testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(pages: dict) -> dict:
    User = get_user_model()
    result = {}
    for key, (path, username) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
        result[key] = {"cold": len(cold), "warm": len(warm), "status": response.status_code}
    return result


def main():
    pages = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print("QUERY_COUNTS " + json.dumps(count(pages)))


if __name__ == "__main__":
    main()
