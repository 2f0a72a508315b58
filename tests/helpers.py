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
