"""common/charts: the indicator bars against 序时 and the stacked columns of lagging tasks."""

import xml.etree.ElementTree as ET

import pytest

from common.charts import pace_bar_chart, stacked_column_chart
from common.charts.svg import WIDTH, text_width, wrap

NS = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script>'
LONG = "任务7 完成年度固定资产投资和重点项目建设投资目标（目标≥195亿元，含省市重点项目）"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img" and root.get("aria-label")
    return root


def _all(root, tag, css=None):
    return [e for e in root.iter(f"{NS}{tag}") if css is None or css in (e.get("class") or "")]


# --- pace bars ------------------------------------------------------------------------------------


def test_a_long_label_is_wrapped_whole_never_cut():
    root = _parse(pace_bar_chart([(LONG, 36.8, 37.8, "#1a7f37")], title="指标"))
    lines = [t.text for t in _all(root, "text", "label")]
    assert len(lines) > 1  # it did not fit on one line
    assert "".join(lines).replace(" ", "") == LONG.replace(" ", "")
    assert not any("…" in line for line in lines)
    for line in _all(root, "text", "label"):
        assert float(line.get("x")) >= 0


def test_every_bar_has_a_pace_marker_at_its_expected_value():
    items = [("a", 36.8, 37.8, "#1a7f37"), ("b", 100, 37.8, "#1a7f37"), ("c", 5, 80, "#cf222e")]
    root = _parse(pace_bar_chart(items, title="t"))
    tracks = [r for r in _all(root, "rect") if r.get("class") is None and r.get("height") == "12"]
    markers = _all(root, "line", "expected")
    assert len(markers) == 3
    for track, marker, (_, _, expected, _) in zip(tracks, markers, items, strict=True):
        x0, width = float(track.get("x")), float(track.get("width"))
        assert float(marker.get("x1")) == pytest.approx(x0 + width * expected / 100, abs=0.01)
    bars = _all(root, "rect", "bar")
    assert [b.get("fill") for b in bars] == ["#1a7f37", "#1a7f37", "#cf222e"]
    texts = [t.text for t in _all(root, "text", "pace")]
    assert texts == ["序时37.8%", "序时37.8%", "序时80%"]
    assert "a 36.8%（序时37.8%）" in root.get("aria-label")


def test_pace_bars_clamp_and_stay_inside_the_view():
    root = _parse(pace_bar_chart([("a", 150, 120, "#000"), ("b", -3, None, "#000")], title="t"))
    for rect in _all(root, "rect", "bar"):
        assert float(rect.get("x")) + float(rect.get("width")) <= WIDTH
    assert len(_all(root, "line", "expected")) == 1  # no expected, no marker
    assert "a 150%" in root.get("aria-label")


def test_pace_bars_escape_everything_and_handle_no_items():
    svg = pace_bar_chart([(EVIL, 1, 2, '"><script>')], title=EVIL)
    _parse(svg)
    assert "<script" not in svg
    assert "暂无数据" in pace_bar_chart([], title="t")


# --- stacked columns ------------------------------------------------------------------------------

WEEKS = ["第18周", "第19周", "第20周"]


def test_columns_stack_the_parts_bottom_up_with_their_total():
    series = [("严重滞后", [2, 3, 0], "#cf222e"), ("滞后", [1, 0, 0], "#bf8700")]
    root = _parse(stacked_column_chart(WEEKS, series, title="滞后任务数", unit="项"))
    parts = _all(root, "rect", "part")
    assert [p.get("fill") for p in parts] == ["#cf222e", "#bf8700", "#cf222e"]
    red18, yellow18, red19 = (float(p.get("height")) for p in parts)
    assert red18 == pytest.approx(2 * yellow18)
    assert red19 == pytest.approx(3 * yellow18)
    # the yellow part sits on top of the red one
    assert float(parts[1].get("y")) + yellow18 == pytest.approx(float(parts[0].get("y")))
    assert [t.text for t in _all(root, "text", "total")] == ["3", "3", "0"]
    assert "第20周 严重滞后 0，滞后 0" in root.get("aria-label")


def test_column_ticks_are_whole_numbers():
    root = _parse(stacked_column_chart(WEEKS, [("滞后", [7, 12, 3], "#bf8700")], title="t"))
    ticks = [t.text for t in _all(root, "text") if t.get("text-anchor") == "end"]
    assert ticks and all(t.isdigit() for t in ticks)
    assert int(ticks[-1]) >= 12


def test_a_category_without_data_has_no_column_and_all_none_is_empty():
    root = _parse(stacked_column_chart(WEEKS, [("滞后", [1, None, 2], "#000")], title="t"))
    assert len(_all(root, "rect", "part")) == 2
    assert "第19周：暂无数据" in root.get("aria-label")
    assert "暂无数据" in stacked_column_chart(WEEKS, [("滞后", [None] * 3, "#000")], title="t")
    assert "暂无数据" in stacked_column_chart([], [], title="t")


def test_columns_escape_names_and_labels():
    svg = stacked_column_chart([EVIL], [(EVIL, [1], '"><script>')], title=EVIL, unit=EVIL)
    _parse(svg)
    assert "<script" not in svg


def test_wrap_breaks_chinese_anywhere_and_latin_words_at_spaces():
    lines = wrap("任务11 Research and development spending share (目标2.5%)", 220, 13)
    assert "".join(lines).replace(" ", "") == "任务11Researchanddevelopmentspendingshare(目标2.5%)"
    words = " ".join(lines).split()
    assert "Research" in words and "development" in words and "spending" in words
    assert all(text_width(line, 13) <= 220 for line in lines)
    assert wrap("", 100, 13) == [""]
    assert len(wrap("a" * 80, 100, 13)) > 1  # a word longer than a line still breaks
