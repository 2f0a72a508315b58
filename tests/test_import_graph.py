"""Imports between our apps go one way, downwards in LAYERS (ARCHITECTURE.md, README Layout).

Every module of every app is parsed with `ast` (imports inside functions count too); each
import of another app must point to a lower layer. The one exception: `leaders.models` (the
Leader a task's responsibilities and the leader role point at) may be imported by tasks and
accounts, and it imports nothing above accounts itself, so the exception makes no cycle.
Loading the settings imports no app code at all (checked in a fresh interpreter).
"""

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom: an app may import the apps below it, never one above it.
LAYERS = [
    "config",
    "reports",
    "notifications",
    "leaders",
    "tasks",
    "accounts",
    "departments",
    "common",
]
# A module lower apps may import although its app sits above them: who may import it, and
# the only modules it may import itself (so that the exception can never close a cycle).
LOWERED = {
    "leaders.models": {
        "importers": {"tasks", "accounts"},
        "imports": ("accounts.models", "departments", "common"),
    }
}


@dataclass(frozen=True)
class Import:
    path: str  # relative to the root, e.g. "tasks/views.py"
    line: int
    target: str  # the absolute dotted name imported, e.g. "leaders.instructions.task_x"

    @property
    def source_app(self) -> str:
        return self.path.split("/")[0]

    @property
    def target_app(self) -> str:
        return self.target.split(".")[0]


def module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, relative: Path) -> list[Import]:
    """Every import in one module, relative ones made absolute."""
    name = module_name(relative)
    package = name if relative.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=str(relative))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.extend(Import(relative.as_posix(), node.lineno, target) for target in targets)
    return found


def graph(root: Path, apps=LAYERS, *, within=False) -> list[Import]:
    """The imports from one of `apps` into another of them (`within`: or into itself), for
    every module under root."""
    edges = []
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            for imported in imports_in(path.read_text(encoding="utf-8"), relative):
                if imported.target_app in apps and (
                    within or imported.target_app != imported.source_app
                ):
                    edges.append(imported)
    return edges


def lowered_module(target: str) -> str | None:
    return next((m for m in LOWERED if target == m or target.startswith(m + ".")), None)


def back_edges(edges: list[Import], layers=LAYERS) -> list[str]:
    """One line per import that points upwards: 'path:line imports target (why)'."""
    rank = {app: i for i, app in enumerate(layers)}
    problems = []
    for edge in edges:
        if rank[edge.target_app] > rank[edge.source_app]:
            continue
        lowered = lowered_module(edge.target)
        if lowered and edge.source_app in LOWERED[lowered]["importers"]:
            continue
        below = ", ".join(layers[rank[edge.source_app] + 1 :]) or "nothing of ours"
        problems.append(
            f"{edge.path}:{edge.line} imports {edge.target}: {edge.source_app} sits below "
            f"{edge.target_app} and may import only {below}"
        )
    return problems


def lowered_module_problems(edges: list[Import]) -> list[str]:
    """A lowered module imports nothing of ours but the modules LOWERED lists for it."""
    problems = []
    for module, rule in LOWERED.items():
        path = module.replace(".", "/") + ".py"
        for edge in edges:
            if edge.path == path and not any(
                edge.target == allowed or edge.target.startswith(allowed + ".")
                for allowed in rule["imports"]
            ):
                problems.append(
                    f"{edge.path}:{edge.line} imports {edge.target}: {module} is imported by "
                    f"{', '.join(sorted(rule['importers']))} and may import only "
                    f"{', '.join(rule['imports'])}"
                )
    return problems


def test_no_app_imports_an_app_above_it():
    problems = back_edges(graph(ROOT))
    assert not problems, "Imports against the layers:\n" + "\n".join(problems)


def test_leaders_models_imports_nothing_that_would_close_a_cycle():
    problems = lowered_module_problems(graph(ROOT, within=True))
    assert not problems, "\n".join(problems)


def test_tasks_and_accounts_use_nothing_of_leaders_but_its_models():
    edges = [e for e in graph(ROOT) if e.target_app == "leaders"]
    outside = [
        f"{e.path}:{e.line} imports {e.target}"
        for e in edges
        if e.source_app in {"tasks", "accounts"} and not lowered_module(e.target)
    ]
    assert not outside, "\n".join(outside)


def is_view_module(name: str) -> bool:
    last = name.split(".")[-1]
    return last == "views" or last.endswith("_views")


def view_imports(edges: list[Import]) -> list[str]:
    """Imports of a view module from anything but a urls module (views share tasks.lookups)."""
    problems = []
    for edge in edges:
        parts = edge.target.split(".")
        if edge.path.endswith("urls.py") or parts[0] == "django":
            continue
        if any(is_view_module(".".join(parts[: i + 1])) for i in range(1, len(parts))):
            problems.append(f"{edge.path}:{edge.line} imports the view module of {edge.target}")
    return problems


def test_only_url_modules_import_view_modules():
    problems = view_imports(graph(ROOT, within=True))
    assert not problems, "\n".join(problems)


def test_a_view_importing_another_view_module_fails():
    edges = imports_in(
        "from tasks.views import plan_or_404\n", Path("leaders/instruction_views.py")
    )
    assert view_imports(edges) == [
        "leaders/instruction_views.py:1 imports the view module of tasks.views.plan_or_404"
    ]


def test_a_new_back_edge_fails_with_its_module_and_line(tmp_path):
    (tmp_path / "departments").mkdir()
    (tmp_path / "departments" / "__init__.py").write_text("")
    (tmp_path / "departments" / "naming.py").write_text(
        "import re\n\n\ndef f():\n    from leaders.views import portfolio\n"
    )
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "views.py").write_text(
        "from departments.models import Department\nfrom leaders.models import Leader\n"
        "from leaders import instructions\n"
    )
    (tmp_path / "leaders").mkdir()
    (tmp_path / "leaders" / "views.py").write_text("from .models import Leader\n")

    problems = sorted(back_edges(graph(tmp_path)))

    assert problems == [
        "departments/naming.py:5 imports leaders.views.portfolio: departments sits below "
        "leaders and may import only common",
        "tasks/views.py:3 imports leaders.instructions: tasks sits below leaders and may "
        "import only accounts, departments, common",
    ]


def test_relative_imports_are_read_as_the_modules_they_name():
    found = imports_in(
        "from . import jobs\nfrom ..models import Plan\n", Path("tasks/importer/loader.py")
    )
    assert [i.target for i in found] == ["tasks.importer.jobs", "tasks.models.Plan"]


def test_loading_the_settings_imports_no_app_code():
    code = (
        "import json, sys\n"
        "import config.settings\n"
        f"apps = {LAYERS!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in apps)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert [m for m in loaded if m.split(".")[0] != "config"] == []
    # config.caches: the cache and broker definitions, Django and the standard library only.
    assert set(loaded) <= {
        "config",
        "config.caches",
        "config.celery",
        "config.env",
        "config.settings",
    }
