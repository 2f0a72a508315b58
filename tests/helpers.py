"""Shared test helpers: document paths and a command runner that captures output."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "fixtures" / "documents"
DOC_2022 = DOCUMENTS / "2022-work-report.txt"
DOC_2023 = DOCUMENTS / "2023-green-development.txt"
REGISTRY = str(ROOT / "fixtures" / "departments.json")
ALL_FIXTURES = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def send_reminders_confirmed(client, data: dict):
    """催办 as the office does it: the first POST shows the confirmation page (what will be
    sent), the second, with its `seen` moment and confirm=1, sends. Returns the second
    response."""
    from django.urls import reverse

    url = reverse("notify:send_reminders")
    asked = client.post(url, data)
    assert asked.status_code == 200, asked.status_code
    return client.post(url, {**data, "confirm": "1", "seen": asked.context["seen"]})
