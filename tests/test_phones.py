"""Chinese mobile and landline numbers (common.phones): what is accepted, and its stored form."""

import pytest

from common.phones import normalize_phone, phone_problem

GOOD = {
    "13812345678": "13812345678",
    "+86 138 1234 5678": "+8613812345678",
    "138-1234-5678": "13812345678",
    "0635-8123456": "06358123456",
    "(0635)8123456": "06358123456",
    "010-62345678": "01062345678",
    "0635-8123456-801": "06358123456-801",
    "0635-8123456转801": "06358123456-801",
}
BAD = ["12345", "1381234567", "23812345678", "电话", "0635-123", "138123456789", "010-12345678"]


@pytest.mark.parametrize(("written", "stored"), GOOD.items())
def test_mobile_and_landline_numbers_are_accepted_and_normalised(written, stored):
    assert phone_problem(written) is None
    assert normalize_phone(written) == stored


@pytest.mark.parametrize("written", BAD)
def test_other_text_is_refused_with_a_chinese_message(written):
    assert "格式不正确" in phone_problem(written)


def test_an_empty_phone_is_allowed():
    assert phone_problem("") is None
