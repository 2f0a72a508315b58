"""Load the shipped 2022 plan into a running Redmine through its REST API: one project, one
issue per task (146), one issue with 10 notes, and a non-admin user who measures it.

    python3 benchmarks/redmine/load_tasks.py [--url http://127.0.0.1:3025] [--reset]

Run benchmarks/redmine/setup.sh first (it turns the REST API on and writes the admin's API key
to /etc/redmine/default/bench-admin-api-key, readable by root). Standard library only.

- the user `bench` (password --password), a Manager of the project; it is the author of every
  issue (the admin's key with X-Redmine-Switch-User), and the assignee of the tasks whose lead
  unit is 区发展和改革局 (the unit whose 我的任务 the app's benchmark reads), so /my/page has
  both of its default blocks filled: issues assigned to me, issues reported by me;
- the project `dudu-2022`; each task of fixtures/plan_2022.json is an issue: subject "number.
  text" (255 characters at most), description: its section, its full text, its lead and
  cooperating units;
- the issue of task --notes-task (19) gets 10 notes: the first 10 reports of that task in
  the app's database --notes-db (read-only SELECT through psql: the demo reports of dudu_prof),
  or, when psql cannot read it, 10 notes built from fixtures/demo/phrases.json.
Idempotent: a project that already holds the 146 issues and the notes is kept (--reset drops
and reloads it). Prints one JSON line: the project, the issue with the notes, the user.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY_FILE = Path("/etc/redmine/default/bench-admin-api-key")
PROJECT = "dudu-2022"
USER = "bench"
LEAD_UNIT = "区发展和改革局"
NOTES = 10


class Api:
    def __init__(self, url: str, key: str):
        self.url, self.key = url.rstrip("/"), key

    def call(self, method: str, path: str, body=None, switch_user: str | None = None):
        headers = {"X-Redmine-API-Key": self.key, "Content-Type": "application/json"}
        if switch_user:
            headers["X-Redmine-Switch-User"] = switch_user
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404 and method == "GET":
                return None
            raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
        return json.loads(text) if text.strip() else {}


def plan_tasks() -> list[dict]:
    """The tasks of fixtures/plan_2022.json in plan order, with section and units."""
    objects = json.loads((ROOT / "fixtures" / "plan_2022.json").read_text(encoding="utf-8"))
    departments = json.loads((ROOT / "fixtures" / "departments.json").read_text(encoding="utf-8"))
    names = {d["pk"]: d["fields"]["name"] for d in departments}
    of = {}
    for o in objects:
        of.setdefault(o["model"], []).append(o)
    sections = {s["pk"]: s["fields"] for s in of["tasks.section"]}
    units: dict[int, dict[str, list[str]]] = {}
    for u in sorted(of["tasks.taskunit"], key=lambda u: (u["fields"]["task"], u["pk"])):
        f = u["fields"]
        name = f["written_name"] or names.get(f["department"], "")
        units.setdefault(f["task"], {}).setdefault(f["role"], []).append(name)
    tasks = []
    for t in sorted(of["tasks.task"], key=lambda t: t["fields"]["sort_order"]):
        f = t["fields"]
        section = sections[f["section"]]
        roles = units.get(t["pk"], {})
        lines = [
            f"{section['number']}、{section['title']}",
            "",
            f["text"],
            "",
            "牵头单位：" + "、".join(roles.get("lead", [])),
            "配合单位：" + "、".join(roles.get("cooperating", [])),
        ]
        tasks.append(
            {
                "number": f["number"],
                "subject": f"{f['number']}. {f['title'] or f['text']}"[:255],
                "description": "\n".join(lines),
                "lead": roles.get("lead", []),
            }
        )
    return tasks


def notes_from_db(database: str, number: str) -> list[str]:
    if not number.isdigit():
        raise SystemExit(f"--notes-task {number!r}: a task number")
    sql = (
        "SELECT d.name, r.period_key, r.progress, r.problems, r.next_steps "
        "FROM tasks_progressreport r JOIN tasks_task t ON t.id = r.task_id "
        "JOIN tasks_plan p ON p.id = t.plan_id JOIN departments_department d "
        f"ON d.id = r.department_id WHERE p.slug = '2022' AND t.number = '{number}' "
        f"AND r.state <> 'draft' ORDER BY r.period_start, d.sort_order, r.id LIMIT {NOTES}"
    )
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-AtX", "-F", "\x1f"]
        + ["-R", "\x1e", "-c", sql],
        capture_output=True,
        text=True,
        env=dict(os.environ, PGOPTIONS="-c default_transaction_read_only=on"),
    )
    rows = [r.split("\x1f") for r in done.stdout.split("\x1e") if r.count("\x1f") == 4]
    return [
        f"{unit}（{period}）\n\n进展：{progress}\n\n问题：{problems}\n\n下步打算：{steps}"
        for unit, period, progress, problems, steps in rows
    ]


def notes_from_phrases() -> list[str]:
    phrases = json.loads((ROOT / "fixtures/demo/phrases.json").read_text(encoding="utf-8"))
    months = phrases["month_context"]
    return [
        f"{LEAD_UNIT}（第{i + 1}周）\n\n进展：" + "".join(months[str(i % 12 + 1)])
        for i in range(NOTES)
    ]


def ensure_user(api: Api, password: str) -> int:
    found = api.call("GET", f"/users.json?name={USER}&status=")["users"]
    user = next((u for u in found if u["login"] == USER), None)
    fields = {"password": password, "must_change_passwd": False}
    if user:
        api.call("PUT", f"/users/{user['id']}.json", {"user": fields})
        return user["id"]
    body = {"login": USER, "firstname": "Bench", "lastname": LEAD_UNIT}
    body.update(fields, mail="bench@example.invalid", admin=False)
    return api.call("POST", "/users.json", {"user": body})["user"]["id"]


def issue_count(api: Api) -> int:
    found = api.call("GET", f"/issues.json?project_id={PROJECT}&status_id=*&limit=1")
    return found["total_count"] if found else 0


def find_issue(api: Api, number: str) -> int:
    for offset in range(0, 1000, 100):
        path = f"/issues.json?project_id={PROJECT}&status_id=*&limit=100&offset={offset}"
        found = api.call("GET", path)["issues"]
        for issue in found:
            if issue["subject"].startswith(f"{number}. "):
                return issue["id"]
        if not found:
            break
    raise RuntimeError(f"no issue of task {number} in {PROJECT}")


def load(api: Api, args) -> dict:
    tasks = plan_tasks()
    user_id = ensure_user(api, args.password)
    project = api.call("GET", f"/projects/{PROJECT}.json")
    if project and not args.reset and issue_count(api) == len(tasks):
        noted = find_issue(api, args.notes_task)
        got = api.call("GET", f"/issues/{noted}.json?include=journals")["issue"]["journals"]
        if len([j for j in got if j.get("notes")]) == NOTES:
            out = {"project": PROJECT, "user": USER, "kept": True, "issues": len(tasks)}
            return dict(out, noted_issue=noted, notes=NOTES)
    if project:
        print(f"dropping project {PROJECT} …", file=sys.stderr)
        api.call("DELETE", f"/projects/{PROJECT}.json")
    trackers = api.call("GET", "/trackers.json")["trackers"]
    tracker = next((t for t in trackers if t["name"] == "Feature"), trackers[0])
    role = next(r for r in api.call("GET", "/roles.json")["roles"] if r["name"] == "Manager")
    body = {"name": "2022年政府工作报告重点任务", "identifier": PROJECT, "is_public": False}
    body["tracker_ids"] = [t["id"] for t in trackers]
    api.call("POST", "/projects.json", {"project": body})
    membership = {"user_id": user_id, "role_ids": [role["id"]]}
    api.call("POST", f"/projects/{PROJECT}/memberships.json", {"membership": membership})
    t0, ids = time.monotonic(), {}
    for task in tasks:
        issue = {
            "project_id": PROJECT,
            "tracker_id": tracker["id"],
            "subject": task["subject"],
            "description": task["description"],
        }
        if LEAD_UNIT in task["lead"]:
            issue["assigned_to_id"] = user_id
        made = api.call("POST", "/issues.json", {"issue": issue}, switch_user=USER)
        ids[task["number"]] = made["issue"]["id"]
    notes = notes_from_db(args.notes_db, args.notes_task) if args.notes_db else []
    source = f"{args.notes_db} (reports of task {args.notes_task})"
    if len(notes) < NOTES:
        notes, source = notes_from_phrases(), "fixtures/demo/phrases.json"
    noted = ids[args.notes_task]
    for text in notes[:NOTES]:
        api.call("PUT", f"/issues/{noted}.json", {"issue": {"notes": text}}, switch_user=USER)
    return {
        "project": PROJECT,
        "user": USER,
        "kept": False,
        "issues": len(ids),
        "noted_issue": noted,
        "notes": NOTES,
        "notes_from": source,
        "load_s": round(time.monotonic() - t0, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:3025")
    parser.add_argument("--admin-key", help=f"default: read from {KEY_FILE}")
    parser.add_argument("--password", default="dudu-bench-2022", help="of the user bench")
    parser.add_argument("--notes-task", default="19", help="task number of the noted issue")
    parser.add_argument("--notes-db", default="dudu_prof", help="'' for phrases.json notes")
    parser.add_argument("--reset", action="store_true", help="drop and reload the project")
    args = parser.parse_args()
    key = args.admin_key or KEY_FILE.read_text().strip()
    print(json.dumps(load(Api(args.url, key), args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
