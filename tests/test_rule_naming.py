"""The collective-name rule (departments/naming.py): which unit names name a group of units.

Pure Python, no database:
    python -m pytest tests/test_rule_naming.py -q -p no:django
"""

import pytest

from departments.naming import looks_collective, normalize_name
from tasks.importer.parser import split_units


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("区政府各部门（单位）", True),
        ("区政府各部门(单位)", True),
        ("各镇政府(街道办事处)", True),
        ("各镇政府（街道办事处）", True),
        ("各镇街", True),
        ("区直各部门", True),
        ("全区各级各部门", True),
        ("市直各有关部门", True),
        ("县直各单位", True),
        ("区安委会各成员单位", True),
        ("区食安委成员单位", True),
        ("园区各部门", True),
        ("区财政局", False),
        ("区发展和改革局", False),
        ("堂邑镇", False),
        ("古楼街道办事处", False),
        ("区委组织部", False),
        ("市生态环境局东昌府分局", False),
        ("园区管委会", False),
    ],
)
def test_a_name_is_collective_exactly_when_the_rule_says_so(name, collective):
    assert looks_collective(name) is collective
    # The resolver asks with the normalised name, the parser with the name as written.
    assert looks_collective(normalize_name(name)) is collective


def test_the_parser_splits_x_before_a_collective_phrase_with_the_same_rule():
    assert split_units("区财政局等市直各有关部门") == ("区财政局", "市直各有关部门")
    assert split_units("区财政局等区政府各部门（单位）") == ("区财政局", "区政府各部门（单位）")
