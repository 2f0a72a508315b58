"""Who leads a task when the document does not label it (pure Python, no Django).

Many plans list one 责任单位 column and state their rule once, inline: "（除标注“分别牵头”外，
列第一位为牵头或汇总单位，下同）" or "（列第一位者为牵头或汇总单位，下同）". With the rule the
first unit leads (or every unit before "分别牵头"); the note itself is not part of a unit name.
Without a rule, several 责任单位 stay undetermined (``ParsedTask.responsible_units``) and the
office chooses in the preview (``choose_leads``); a single one leads.

Group headings can name the leader of everything under them: "一、于会游市长主抓重点工作".
"""

from __future__ import annotations

import re
from dataclasses import replace

_RULE_RE = re.compile(r"列(?:在)?第一位(?:者|的)?(?:单位)?为牵头")
# The bracketed note stating the rule, as it sits after the first unit name.
_NOTE_RE = re.compile(r"[（(〔][^（）()〔〕]*(?:列(?:在)?第一位|下同)[^（）()〔〕]*[）)〕]")
_SEVERALLY = "分别牵头"
_TITLES = (
    "常务副区长|副区长|区长|常务副市长|副市长|市长|常务副县长|副县长|县长|"
    "副书记|书记|副主任|主任|副部长|部长|副主席|主席"
)
_HEADING_LEADER_RE = re.compile(
    rf"^((?:[\u4e00-\u9fff]{{2,3}}?[、，,])*[\u4e00-\u9fff]{{2,3}}?)(?:{_TITLES})(?:同志)?"
    r"(?:主抓|负责|牵头|分管|主管|领衔|包抓)"
)


def states_lead_rule(text: str) -> bool:
    """Whether the document says that the first unit listed leads."""
    return bool(_RULE_RE.search(re.sub(r"\s+", "", text)))


def heading_leaders(title: str) -> tuple[str, ...]:
    """The leaders a group heading names: "于会游市长主抓重点工作" → ("于会游",)."""
    match = _HEADING_LEADER_RE.match(title)
    if not match:
        return ()
    return tuple(name for name in re.split(r"[、，,]", match.group(1)) if name)


def strip_note(name: str) -> str:
    return _NOTE_RE.sub("", name).strip()


def _clean(names) -> tuple[tuple[str, ...], set[str]]:
    """Names without the rule note and without "分别牵头"; and those that carried it."""
    cleaned, severally = [], set()
    for raw in names:
        name = strip_note(raw)
        if _SEVERALLY in name:
            name = name.replace(_SEVERALLY, "").strip()
            severally.add(name)
        if name and name not in cleaned:
            cleaned.append(name)
    return tuple(cleaned), severally


def split_responsible(names: tuple[str, ...], severally: set[str], rule: bool):
    """(lead, cooperating, undetermined) for a list of 责任单位."""
    if severally:
        # "X、Y分别牵头": every unit up to the last one marked leads.
        last = max(names.index(name) for name in severally if name in names)
        return names[: last + 1], names[last + 1 :], ()
    if rule or len(names) == 1:
        return names[:1], names[1:], ()
    return (), (), names


def settle_task(task, section_leaders: tuple[str, ...], rule: bool):
    lead, _ = _clean(task.lead_units)
    cooperating, _ = _clean(task.cooperating_units)
    responsible, severally = _clean(task.responsible_units)
    undetermined: tuple[str, ...] = ()
    if responsible:
        if lead:
            cooperating = cooperating + tuple(n for n in responsible if n not in cooperating)
        else:
            lead, more, undetermined = split_responsible(responsible, severally, rule)
            cooperating = more + tuple(n for n in cooperating if n not in more)
    leaders = task.lead_leaders or section_leaders
    return replace(
        task,
        lead_leaders=tuple(leaders),
        lead_units=lead,
        cooperating_units=cooperating,
        responsible_units=undetermined,
    )


def settle_responsibilities(tasks, sections, text: str) -> tuple:
    """Apply the document's lead rule and its heading leaders to every task."""
    rule = states_lead_rule(text)
    leaders = {section.number: section.leaders for section in sections}
    return tuple(settle_task(task, leaders.get(task.section_number, ()), rule) for task in tasks)


def choose_leads(plan, choices: dict[str, list[str]]):
    """The plan with the office's choice of lead units where the document left it open.

    ``choices`` maps a task number to the names (among its responsible units) that lead; a task
    with no choice is led by its first unit. The others cooperate.
    """
    tasks = []
    for task in plan.tasks:
        if not task.responsible_units:
            tasks.append(task)
            continue
        names = task.responsible_units
        chosen = [name for name in choices.get(task.number, []) if name in names] or names[:1]
        tasks.append(
            replace(
                task,
                lead_units=tuple(chosen),
                cooperating_units=tuple(n for n in names if n not in chosen)
                + task.cooperating_units,
                responsible_units=(),
            )
        )
    doubts = tuple(d for d in plan.doubts if d.kind != "lead_open")
    return replace(plan, tasks=tuple(tasks), doubts=doubts)
