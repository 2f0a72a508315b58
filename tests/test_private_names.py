"""No module of ours uses a private name (`_name`) of a third-party library.

A private name is the library's to change in any release: using one makes an upgrade break us
in ways no test of ours can predict. An AST walk over every module outside tests/ and
benchmarks/ finds, for packages that are neither ours nor the standard library:
- imports of private modules (`import pkg._x`, `from pkg._x.y import z`) or names
  (`from pkg import _x`);
- `alias._x` where `alias` was bound by an import from such a package (a module, class or
  function of it), read or assigned, also through getattr/setattr/delattr with a literal name.
Dunder names (`__version__`) are public. Django documents `Model._meta` and
`Model._default_manager` as its API, and of `instance._state` only `adding` and `db`: those are
allowed; any other `x._state.y` (on any object: model instances are not imported) is flagged.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "benchmarks", "var", "node_modules", "static", "templates"}
# Underscore names a library documents as its public API.
DOCUMENTED = {"_meta", "_default_manager"}
STATE_DOCUMENTED = {"adding", "db"}


def first_party_names(root: Path = ROOT) -> set[str]:
    names = set()
    for entry in root.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and any(entry.glob("*.py")):
            names.add(entry.name)
        elif entry.suffix == ".py":
            names.add(entry.stem)
    return names


def our_modules(root: Path = ROOT) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in SKIPPED_DIRS or any(p.startswith(".") for p in parts):
            continue
        found.append(path)
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _third_party(module: str, first_party: set[str]) -> bool:
    top = module.split(".")[0]
    return top not in first_party and top not in sys.stdlib_module_names


def private_uses(source: str, first_party: set[str]) -> list[str]:
    """Each use of a third-party private name in `source`, as "line: what"."""
    tree = ast.parse(source)
    found = []  # (line, what)
    aliases = {}  # name bound by a third-party import -> what it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for item in node.names:
                if not _third_party(item.name, first_party):
                    continue
                if any(_private(part) for part in item.name.split(".")):
                    found.append((node.lineno, f"import {item.name}"))
                bound = item.asname or item.name.split(".")[0]
                aliases[bound] = item.name if item.asname else bound
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not _third_party(node.module, first_party):
                continue
            if any(_private(part) for part in node.module.split(".")):
                found.append((node.lineno, f"from {node.module} import …"))
            for item in node.names:
                if _private(item.name) and item.name not in DOCUMENTED:
                    found.append((node.lineno, f"from {node.module} import {item.name}"))
                aliases[item.asname or item.name] = f"{node.module}.{item.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "_state"
            and node.attr not in STATE_DOCUMENTED
        ):
            found.append((node.lineno, f"{ast.unparse(node)} (Django's private ModelState)"))
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases and node.attr not in DOCUMENTED:
                found.append((node.lineno, f"{ast.unparse(node)} ({aliases[root.id]})"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "delattr", "hasattr"}
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in aliases
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and node.args[1].value not in DOCUMENTED
        ):
            found.append(
                (node.lineno, f"{node.func.id}({node.args[0].id}, {node.args[1].value!r})")
            )
    return [f"{line}: {what}" for line, what in sorted(found)]


FIRST_PARTY = {"common", "reports"}


def test_no_module_of_ours_uses_a_private_name_of_a_library():
    first_party = first_party_names()
    modules = our_modules()
    assert len(modules) > 50 and ROOT / "common" / "xlsx.py" in modules  # the walk sees the code
    problems = {
        str(path.relative_to(ROOT)): uses
        for path in modules
        if (uses := private_uses(path.read_text(encoding="utf-8"), first_party))
    }
    assert problems == {}


def test_our_own_packages_and_the_standard_library_are_not_third_party():
    names = first_party_names()
    assert {"common", "tasks", "reports", "config", "manage"} <= names
    assert "tests" in names  # ours, though not walked
    assert not _third_party("common.xlsx", names)
    assert not _third_party("os.path", names)
    assert _third_party("openpyxl.worksheet", names)


def test_it_finds_private_modules_and_names_imported():
    source = """
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.worksheet import _writer as w
import django_tables2._private.x
from django.db import models
from common._helpers import mine
from ._local import other
"""
    assert private_uses(source, FIRST_PARTY) == [
        "2: from openpyxl.worksheet._writer import …",
        "3: from openpyxl.worksheet import _writer",
        "4: import django_tables2._private.x",
    ]


def test_it_finds_private_attributes_of_imported_library_objects_read_or_assigned():
    source = """
import openpyxl
import django_tables2.utils as dt
from openpyxl.worksheet import worksheet
from openpyxl import Workbook
from common import xlsx

openpyxl.worksheet._writer.ALL_TEMP_FILES.clear()
dt._cache = {}
x = worksheet.Worksheet._values_to_row
Workbook._sheets
getattr(Workbook, "_sheets", None)
xlsx._private_helper
Workbook.__name__
Workbook._meta
user._state.fields_cache["profile"]
user._state.adding
"""
    assert private_uses(source, FIRST_PARTY) == [
        "8: openpyxl.worksheet._writer (openpyxl)",
        "9: dt._cache (django_tables2.utils)",
        "10: worksheet.Worksheet._values_to_row (openpyxl.worksheet.worksheet)",
        "11: Workbook._sheets (openpyxl.Workbook)",
        "12: getattr(Workbook, '_sheets')",
        "16: user._state.fields_cache (Django's private ModelState)",
    ]
