"""Each kept figure's name (tasks.revision.memo's first argument) belongs to one module: two
figures of different shapes under one name would read each other's values (this happened:
the task page and 我的任务 both kept "plan", one as columns, one as a Plan)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "common", "departments", "leaders", "notifications", "reports", "tasks")


def memo_names() -> dict[str, set[str]]:
    """name -> the modules that call memo() with it (a literal, or a module constant)."""
    found: dict[str, set[str]] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = {
                target.id: node.value.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called != "memo":
                    continue
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    name = first.value
                elif isinstance(first, ast.Name) and first.id in constants:
                    name = constants[first.id]
                else:
                    continue  # memo's own definition passes its parameter on
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_kept_figure_name_is_used_by_one_module_only():
    names = memo_names()
    assert {"task_states", "duties", "plan", "task-page"} <= set(names)  # the scan sees them
    shared = {name: sorted(modules) for name, modules in names.items() if len(modules) > 1}
    assert shared == {}
