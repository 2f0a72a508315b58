"""Mutation testing of the rule modules: does a test fail when the rule is changed?

    .venv/bin/python benchmarks/mutate.py                 # every rule module (tens of minutes)
    .venv/bin/python benchmarks/mutate.py status periods  # some of them
    .venv/bin/python benchmarks/mutate.py --list          # the map: module -> guarding tests

Not a test and not run in CI: it prints, per module, the score (killed / all mutants) and the
diff of every surviving mutant. Each module is mutated by mutmut (pinned in requirements-dev.txt)
in a scratch copy of the work tree, so nothing here is touched (mutmut writes ``mutants/`` into
the project it runs in). Only the test modules mapped to the rule below run against its mutants,
on SQLite: DATABASE_URL, REDIS_URL and TEST_DATABASE_NAME are dropped from the environment. Runs
at ``nice -n 10`` with ``--jobs`` mutants at a time (default 1: the machines are shared).

A surviving mutant is either a missing test (write it) or a change that does not change
behaviour (a message, an equivalent condition): explain those in a comment beside the code.

``tasks/duties.py`` is mostly two ORM queries, which mutmut mutates poorly (keyword names and
strings), so it also gets hand-written mutants (HAND_MUTANTS): each replaces one snippet of the
file, and the mapped tests must fail.

New rule modules (node plans, extensions, escalation triggers, scores, the similarity rule) join
RULES with the test modules that guard them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rule:
    path: str  # the module to mutate
    tests: tuple[str, ...]  # the test modules that guard it


RULES = {
    "status": Rule("tasks/status.py", ("tests/test_status.py", "tests/test_rule_status.py")),
    "periods": Rule("tasks/periods.py", ("tests/test_periods.py", "tests/test_rule_periods.py")),
    "access": Rule(
        "tasks/access.py",
        ("tests/test_permissions.py", "tests/test_reporting.py", "tests/test_rule_access.py"),
    ),
    "roles": Rule(
        "accounts/roles.py",
        ("tests/test_permissions.py", "tests/test_accounts.py", "tests/test_rule_access.py"),
    ),
    "duties": Rule(
        "tasks/duties.py",
        ("tests/test_instructions.py", "tests/test_revision.py", "tests/test_rule_duties.py"),
    ),
}

# (name, [(snippet of the module, its replacement), ...]): each must make a mapped test fail.
HAND_MUTANTS = {
    "duties": [
        (
            "members of a lead group owe nothing",
            [(" | Q(role=TaskUnit.Role.LEAD))", ")")],
        ),
        (
            "members of a cooperating group are chased",
            [
                ("Q(role=TaskUnit.Role.LEAD))", "Q(group__isnull=False))"),
                ("            unitgroup__task_links__role=TaskUnit.Role.LEAD,\n", ""),
            ],
        ),
        (
            "a unit named directly and through a lead group owes two reports",
            [("if (link.task_id, department.pk) not in seen:", "if True:")],
        ),
        (
            "cooperating sorts before lead (lead units no longer first)",
            [("u.role != TaskUnit.Role.LEAD", "u.role == TaskUnit.Role.LEAD")],
        ),
        (
            "document order lost",
            [
                (
                    "u.role != TaskUnit.Role.LEAD, u.position)",
                    "u.role != TaskUnit.Role.LEAD, -u.position)",
                )
            ],
        ),
        (
            "a lead group's members out of registry order",
            [('.order_by("department__sort_order",', '.order_by("-department__sort_order",')],
        ),
        (
            "a group link's members dropped in the loop",
            [("else members.get(link.group_id, [])", "else []")],
        ),
    ]
}

# Copied into the scratch project; the rest (.venv, var/, .git, caches) is left out.
_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "var", "mutants", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"
)
_DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE")


def _scratch_copy(into: Path) -> Path:
    project = into / "project"
    shutil.copytree(ROOT, project, ignore=_IGNORE, symlinks=True)
    (project / "var").mkdir()
    return project


def _env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["VAR_DIR"] = str(project / "var")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _write_mutmut_config(project: Path, rule: Rule) -> None:
    package = rule.path.split("/")[0]
    others = sorted(
        p.name
        for p in project.iterdir()
        if p.name not in {package, "tests", "setup.cfg", "pyproject.toml", "var"}
    )
    lines = [
        "[mutmut]",
        f"source_paths = {package}",
        f"only_mutate = {rule.path}",
        "also_copy =",
        *(f"    {name}" for name in others),
        "pytest_add_cli_args_test_selection =",
        *(f"    {test}" for test in rule.tests if (project / test).exists()),
        "pytest_add_cli_args =",
        "    -p",
        "    no:cacheprovider",
        "    -p",
        "    benchmarks.mutate",
        "    -x",
        "    -q",
    ]
    (project / "setup.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Loaded into the mutants' pytest runs (-p benchmarks.mutate): the focused tests/test_rule_*
    modules first, so that with -x a killed mutant stops after seconds, not after the fixtures
    of the page tests have loaded. (The order of the other tests is kept.)"""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_rule_"))


def _mutmut(project: Path, *args: str) -> subprocess.CompletedProcess:
    mutmut = Path(sys.executable).parent / "mutmut"
    return subprocess.run(
        ["nice", "-n", "10", str(mutmut), *args],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
    )


def run_mutmut(name: str, rule: Rule, jobs: int, keep: bool) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix=f"mutate-{name}-"))
    try:
        project = _scratch_copy(scratch)
        _write_mutmut_config(project, rule)
        started = time.monotonic()
        run = _mutmut(project, "run", "--max-children", str(jobs))
        elapsed = time.monotonic() - started
        results = _mutmut(project, "results", "--all", "true").stdout
        statuses = dict(re.findall(r"^\s+(\S+): (.+)$", results, flags=re.M))
        if not statuses:
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
            raise SystemExit(f"{name}: mutmut produced no results (exit {run.returncode})")
        survivors = {
            mutant: _mutmut(project, "show", mutant).stdout
            for mutant, status in statuses.items()
            if status not in ("killed", "timeout")
        }
        return {"statuses": statuses, "survivors": survivors, "seconds": elapsed}
    finally:
        if keep:
            print(f"  (scratch project kept in {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run_hand_mutants(name: str, rule: Rule) -> list[tuple[str, bool]]:
    """Apply each hand-written mutant to a scratch copy and run the mapped tests."""
    outcomes = []
    scratch = Path(tempfile.mkdtemp(prefix=f"mutate-{name}-hand-"))
    try:
        project = _scratch_copy(scratch)
        target = project / rule.path
        original = target.read_text(encoding="utf-8")
        tests = [t for t in rule.tests if (project / t).exists()]
        for label, replacements in HAND_MUTANTS.get(name, []):
            mutated = original
            for old, new in replacements:
                if mutated.count(old) != 1:
                    raise SystemExit(
                        f"hand mutant {label!r}: {old!r} not found once in {rule.path}"
                    )
                mutated = mutated.replace(old, new)
            target.write_text(mutated, encoding="utf-8")
            result = subprocess.run(
                ["nice", "-n", "10", sys.executable, "-m", "pytest", "-x", "-q"]
                + ["-p", "no:cacheprovider", *tests],
                cwd=project,
                env=_env(project),
                capture_output=True,
                text=True,
            )
            outcomes.append((label, result.returncode != 0))
        target.write_text(original, encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


def report(name: str, rule: Rule, outcome: dict, hand: list[tuple[str, bool]]) -> str:
    statuses = outcome["statuses"]
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    # A timeout is a kill too (the mutant made a test loop); "no tests" is a survivor.
    detected = counts.get("killed", 0) + counts.get("timeout", 0)
    lines = [
        f"== {rule.path}: {detected} of {len(statuses)} mutants killed "
        f"({100 * detected / len(statuses):.0f} %) in {outcome['seconds']:.0f} s  "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
    ]
    if hand:
        lines.append(
            f"   hand-written mutants: {sum(k for _, k in hand)} of {len(hand)} killed"
            + "".join(f"\n     {'killed  ' if k else 'SURVIVED'} {label}" for label, k in hand)
        )
    for mutant, diff in outcome["survivors"].items():
        lines.append(f"-- {statuses[mutant]}: {mutant}")
        lines.append("\n".join(line for line in diff.splitlines() if line.startswith(("+", "-"))))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(RULES)} (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--list", action="store_true", help="print the module -> tests map")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.list:
        for name, rule in RULES.items():
            print(f"{name:8} {rule.path:20} {' '.join(rule.tests)}")
        return 0
    unknown = set(args.modules) - set(RULES)
    if unknown:
        parser.error(
            f"unknown module(s) {', '.join(sorted(unknown))}; choose from {', '.join(RULES)}"
        )
    texts = []
    for name in args.modules or list(RULES):
        rule = RULES[name]
        print(f"mutating {rule.path} against {' '.join(rule.tests)} ...", flush=True)
        outcome = run_mutmut(name, rule, args.jobs, args.keep)
        hand = run_hand_mutants(name, rule) if name in HAND_MUTANTS else []
        texts.append(report(name, rule, outcome, hand))
        print(texts[-1], flush=True)
    if args.out:
        args.out.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
