"""The department registry fixture (fixtures/departments.json), checked without a database.

Every unit name the two plan documents write must resolve, by normalised name, to exactly one
department or unit group; the 2023 spellings must land on the 2022 department.
"""

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tasks.importer.parser import normalize_name, parse_plan, split_units

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "fixtures" / "departments.json"
SEEDS = ROOT.parent / "shared" / "seeds"
DOCUMENTS = {
    "2022": (
        ROOT / "fixtures" / "documents" / "2022-work-report.txt",
        SEEDS / "001_421cc5f0121f48d4.txt",
    ),
    "2023": (
        ROOT / "fixtures" / "documents" / "2023-green-development.txt",
        SEEDS / "002_df7bbdd99b3e2ff6.txt",
    ),
}

KINDS = {"bureau", "centre", "town", "subdistrict", "party", "mass", "other"}
FIELDS = {
    "departments.department": {"name", "kind", "sort_order", "is_active"},
    "departments.departmentalias": {"department", "name"},
    "departments.unitgroup": {"name", "sort_order", "description", "members"},
    "departments.unitgroupalias": {"group", "name"},
}

# 2023 spelling -> 2022 spelling of the same unit (and typos of the 2022 plan itself).
SAME_UNIT = [
    ("区发展和改革委员会", "区发展和改革局"),
    ("区市场监管局", "区市场监督管理局"),
    ("区教育体育局", "区教育和体育局"),
    ("区行政审批局", "区行政审批服务局"),
    ("区地方金融监管局", "区地方金融监督管理局"),
    ("区应急局", "区应急管理局"),
    ("区医保局", "区医疗保障局"),
    ("区妇联", "区妇女联合会"),
    ("区残联", "区残疾人联合会"),
    ("嘉明经济开发区", "嘉明经济开发区管委会"),
    ("区教体和体育局", "区教育和体育局"),
    ("区资规分局", "区自然资源和规划分局"),
    ("堂邑镇政府", "堂邑镇"),
    ("区外侨办", "区外事办"),
]


def _load():
    with REGISTRY.open(encoding="utf-8") as handle:
        return json.load(handle)


RECORDS = _load()


def _of(model):
    return [record for record in RECORDS if record["model"] == model]


DEPARTMENTS = {r["pk"]: r["fields"] for r in _of("departments.department")}
GROUPS = {r["pk"]: r["fields"] for r in _of("departments.unitgroup")}


def _index():
    """Normalised name -> every ("department" | "group", pk) it names."""
    index = defaultdict(list)
    for pk, fields in DEPARTMENTS.items():
        index[normalize_name(fields["name"])].append(("department", pk))
    for record in _of("departments.departmentalias"):
        fields = record["fields"]
        index[normalize_name(fields["name"])].append(("department", fields["department"]))
    for pk, fields in GROUPS.items():
        index[normalize_name(fields["name"])].append(("group", pk))
    for record in _of("departments.unitgroupalias"):
        fields = record["fields"]
        index[normalize_name(fields["name"])].append(("group", fields["group"]))
    return index


INDEX = _index()


def _resolve(name):
    return INDEX.get(normalize_name(name), [])


def _document_text(year):
    copy, seed = DOCUMENTS[year]
    path = copy if copy.exists() else seed
    return path.read_text(encoding="utf-8")


def _plan_unit_names(year):
    names = set()
    for task in parse_plan(_document_text(year)).tasks:
        names.update(task.lead_units)
        names.update(task.cooperating_units)
    return names


# -- shape --------------------------------------------------------------------------------------


def test_the_file_is_pretty_printed_with_indent_1_and_one_trailing_newline():
    text = REGISTRY.read_text(encoding="utf-8")
    assert text == json.dumps(RECORDS, indent=1, ensure_ascii=False) + "\n"


def test_records_have_the_four_models_with_exactly_their_fields():
    assert {record["model"] for record in RECORDS} == set(FIELDS)
    for record in RECORDS:
        assert set(record["fields"]) == FIELDS[record["model"]], record


@pytest.mark.parametrize("model", sorted(FIELDS))
def test_primary_keys_run_from_1_without_gaps(model):
    pks = [record["pk"] for record in _of(model)]
    assert pks == list(range(1, len(pks) + 1))


def test_names_are_stored_normalised_and_fit_the_columns():
    for record in RECORDS:
        name = record["fields"]["name"]
        assert name and name == normalize_name(name), name
        assert len(name) <= 100, name
        assert "(" not in name and ")" not in name, name
    for fields in GROUPS.values():
        assert 0 < len(fields["description"]) <= 300, fields["name"]


def test_every_name_is_unique_across_departments_groups_and_aliases():
    clashes = {name: owners for name, owners in INDEX.items() if len(owners) > 1}
    assert not clashes


def test_kinds_are_valid_and_departments_active():
    for fields in DEPARTMENTS.values():
        assert fields["kind"] in KINDS, fields
        assert fields["is_active"] is True


def test_aliases_point_at_existing_records():
    for record in _of("departments.departmentalias"):
        assert record["fields"]["department"] in DEPARTMENTS, record
    for record in _of("departments.unitgroupalias"):
        assert record["fields"]["group"] in GROUPS, record


def test_every_group_member_exists_once():
    for fields in GROUPS.values():
        members = fields["members"]
        assert members, fields["name"]
        assert len(members) == len(set(members)), fields["name"]
        assert set(members) <= set(DEPARTMENTS), fields["name"]


def test_sort_order_follows_the_district_order_of_kinds():
    rank = {"bureau": 0, "centre": 0, "party": 1, "mass": 1, "town": 2, "subdistrict": 3}
    ordered = sorted(DEPARTMENTS.values(), key=lambda fields: fields["sort_order"])
    assert len({fields["sort_order"] for fields in ordered}) == len(ordered)
    ranks = [rank.get(fields["kind"], 4) for fields in ordered]
    assert ranks == sorted(ranks)
    assert ordered[0]["name"] == "区发展和改革局"  # the 2022 plan's first unit


# -- the plan documents -------------------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(DOCUMENTS))
def test_every_unit_name_of_the_plan_resolves_to_exactly_one_record(year):
    names = _plan_unit_names(year)
    assert len(names) > 30  # the parser found the responsibility parts
    unresolved = sorted(name for name in names if len(_resolve(name)) != 1)
    assert not unresolved


@pytest.mark.parametrize("year", sorted(DOCUMENTS))
def test_the_notice_addressees_resolve(year):
    compact = re.sub(r"\s+", "", _document_text(year))
    found = re.search(r"(各镇政府、街道办事处[^：:]*)[：:]", compact)
    assert found
    names = split_units(found.group(1))
    assert len(names) == 4
    assert all(len(_resolve(name)) == 1 for name in names), names


@pytest.mark.parametrize(("spelling", "canonical"), SAME_UNIT)
def test_other_spellings_resolve_to_the_2022_department(spelling, canonical):
    [(model, pk)] = _resolve(canonical)
    assert model == "department" and DEPARTMENTS[pk]["name"] == canonical
    assert _resolve(spelling) == [("department", pk)]


def test_the_2023_spellings_occur_in_the_2023_plan():
    names = {normalize_name(name) for name in _plan_unit_names("2023")}
    for spelling in ("区发展和改革委员会", "区市场监管局", "区教育体育局", "区医保局", "区应急局"):
        assert spelling in names


# -- towns, sub-districts and groups ------------------------------------------------------------


def _department(name):
    [(model, pk)] = _resolve(name)
    assert model == "department"
    return pk, DEPARTMENTS[pk]


def _group(name):
    [(model, pk)] = _resolve(name)
    assert model == "group"
    return GROUPS[pk]


def _pks_of_kind(*kinds):
    return {pk for pk, fields in DEPARTMENTS.items() if fields["kind"] in kinds}


def test_towns_and_sub_districts_and_their_short_forms():
    assert _department("堂邑镇")[1]["kind"] == "town"
    assert _department("堂邑镇政府")[1]["name"] == "堂邑镇"
    assert _department("柳园街道")[1]["name"] == "柳园街道办事处"
    yan_si, fields = _department("闫寺街道办事处")
    assert fields["kind"] == "subdistrict"
    for spelling in ("阎寺街道办事处", "阎寺街道", "闫寺街道"):
        assert _department(spelling)[0] == yan_si
    assert _resolve("柳园") == []  # a bare place name is too ambiguous to be an alias
    assert len(_pks_of_kind("town")) == 13
    assert len(_pks_of_kind("subdistrict")) == 11


def test_collective_phrases_of_both_plans_are_groups_with_sensible_members():
    government = _pks_of_kind("bureau", "centre")
    towns, subdistricts = _pks_of_kind("town"), _pks_of_kind("subdistrict")

    members = set(_group("区政府各部门（单位）")["members"])
    assert members <= government and len(government - members) <= 1
    assert set(_group("区直各部门（单位）")["members"]) == members | _pks_of_kind("party", "mass")
    assert set(_group("各镇政府(街道办事处)")["members"]) == towns | subdistricts
    assert set(_group("各相关镇政府(街道办事处)")["members"]) == towns | subdistricts
    assert set(_group("街道办事处")["members"]) == subdistricts
    assert set(_group("各相关街道办事处")["members"]) == subdistricts
    assert set(_group("各镇政府")["members"]) == towns
    assert _group("园区管委会")["members"] == [_department("嘉明经济开发区管委会")[0]]
    for name in ("区生态环境保护委员会各成员单位", "区疫情防控指挥部各成员单位"):
        assert set(_group(name)["members"]) <= government | _pks_of_kind("party", "mass")
    assert _group("各片区指挥部")["members"]
