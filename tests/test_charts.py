"""common/charts: pure functions, no database (plain test functions, no Django test case)."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from common.charts import (
    LIGHT_COLORS,
    bar_chart,
    donut_chart,
    line_chart,
    progress_bar,
)

NS = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script>'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    return root


def _all(root: ET.Element, tag: str, css: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{NS}{tag}")
    return [e for e in found if css is None or css in (e.get("class") or "").split()]


def _texts(root: ET.Element) -> list[str]:
    """The visible text of every <text> (without its tooltip <title>)."""
    return [t.text if t.find(f"{NS}title") is None else t[0].tail for t in _all(root, "text")]


def _samples() -> list[str]:
    return [
        bar_chart([("已完成", 3), ("滞后", 1)], title="状态"),
        donut_chart([("已完成", 3, "#1a7f37")], title="分布"),
        line_chart([("报送率", [("第1周", 50), ("第2周", 60)])], title="趋势"),
        progress_bar(45, expected=38, light="yellow"),
    ]


# --- common properties --------------------------------------------------------------------------


@pytest.mark.parametrize("svg", _samples())
def test_well_formed_scalable_and_accessible(svg):
    root = _parse(svg)
    assert root.get("viewBox")
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio")
    assert root.find(f"{NS}title") is not None
    assert " id=" not in svg  # ids would clash with several charts on one page


def test_big_charts_use_a_local_cjk_font_stack():
    for svg in _samples()[:3]:
        family = _parse(svg).get("font-family")
        assert "Noto Sans CJK SC" in family and "Microsoft YaHei" in family
        assert family.endswith("sans-serif")
        assert "url(" not in svg and "@import" not in svg and "href" not in svg


@pytest.mark.parametrize(
    "make",
    [
        lambda t: bar_chart([("a", 1)], title=t),
        lambda t: donut_chart([("a", 1, "#000")], title=t),
        lambda t: line_chart([("a", [("x", 1)])], title=t),
        lambda t: bar_chart([], title=t),
        lambda t: line_chart([], title=t),
    ],
)
def test_title_is_escaped_and_present(make):
    svg = make("督查 <b>&</b> “报送”")
    root = _parse(svg)
    assert root.find(f"{NS}title").text == "督查 <b>&</b> “报送”"
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert root.get("aria-label").startswith("督查 <b>&</b> “报送”：")


def test_labels_are_escaped_everywhere():
    outputs = [
        bar_chart([(EVIL, 1)], title=EVIL, unit=EVIL, colors=['"><script>']),
        donut_chart([(EVIL, 1, '"><script>'), ("b", 2, "#000")], title="t", center_text=EVIL),
        line_chart(
            [(EVIL, [(EVIL, 1), ("b", 2)]), ("b", [(EVIL, 3)])],
            title="t",
            unit=EVIL,
            target=1,
            target_label=EVIL,
        ),
        progress_bar(1, light=EVIL),
    ]
    for svg in outputs:
        _parse(svg)
        assert "<script" not in svg
    assert "&lt;script&gt;" in outputs[0]


def test_control_characters_in_labels_do_not_break_the_xml():
    svg = bar_chart([("a\x00b\x01c\nd", 1)], title="t\x07")
    _parse(svg)
    assert "abc d" in svg


def test_deterministic():
    assert _samples() == _samples()


def test_numbers_have_no_trailing_zeros():
    svg = bar_chart([("a", 45.0), ("b", 87.5), ("c", 2 / 3)], title="t", unit="%")
    texts = _texts(_parse(svg))
    assert "45%" in texts and "87.5%" in texts and "0.7%" in texts
    assert not any(re.search(r"\d\.0\b|\.\d*0%", t) for t in texts)


# --- bar chart ----------------------------------------------------------------------------------


def test_bar_lengths_follow_the_scale():
    root = _parse(
        bar_chart([("a", 50), ("b", 100), ("c", 150), ("d", -5)], title="t", max_value=100)
    )
    bars = [float(b.get("width")) for b in _all(root, "rect", "bar")]
    assert len(bars) == 3  # no rect for a bar of length 0
    assert bars[0] == pytest.approx(bars[1] / 2)
    assert bars[2] == bars[1]  # clamped to the track
    assert "150" in _texts(root) and "-5" in _texts(root)  # the printed value is the real one


def test_bar_colors_default_to_one_and_cycle_when_given():
    items = [("a", 1), ("b", 2), ("c", 3)]
    plain = _parse(bar_chart(items, title="t"))
    assert len({b.get("fill") for b in _all(plain, "rect", "bar")}) == 1
    cycled = _parse(bar_chart(items, title="t", colors=["#111", "#222"]))
    assert [b.get("fill") for b in _all(cycled, "rect", "bar")] == ["#111", "#222", "#111"]


def test_bar_chart_grows_with_rows_and_handles_80():
    small = _parse(bar_chart([("a", 1)], title="t"))
    big = _parse(bar_chart([(f"单位{i}", i) for i in range(80)], title="t"))
    height = lambda root: float(root.get("viewBox").split()[3])  # noqa: E731
    assert height(big) > height(small) + 79 * 20
    assert len(_all(big, "text", "label")) == 80


@pytest.mark.parametrize("items", [[], [("a", 0), ("b", 0)], [("a", None)], [("a", float("nan"))]])
def test_bar_chart_empty_and_zero(items):
    root = _parse(bar_chart(items, title="t", max_value=0))
    if not items:
        assert "暂无数据" in _texts(root)
    assert _all(root, "rect", "bar") == []


def test_long_bar_label_is_cut_but_kept_in_full():
    long = "区政府办公室（区大数据中心）综合科第二办公室"
    root = _parse(bar_chart([(long, 1)], title="t"))
    label = _all(root, "text", "label")[0]
    assert label.find(f"{NS}title").text == long
    assert label[0].tail.endswith("…")
    assert long in root.get("aria-label")


# --- donut chart --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [[1, 1, 1], [42, 87, 9, 5, 1], [1, 2, 3, 4, 5, 6, 7], [1, 0, 0], [0.001, 1000], [1] * 11],
)
def test_donut_percentages_add_up_to_100(values):
    parts = [(f"类{i}", v, "#0969da") for i, v in enumerate(values)]
    root = _parse(donut_chart(parts, title="t"))
    percents = [float(t.rstrip("%")) for t in _texts(root) if t.endswith("%")]
    assert len(percents) == len(values)
    assert sum(percents) == pytest.approx(100, abs=0.05)
    for value, percent in zip(values, percents, strict=True):
        assert percent == pytest.approx(value * 100 / sum(values), abs=0.1)


def test_donut_slices_and_single_part():
    root = _parse(donut_chart([("a", 1, "#111"), ("b", 3, "#222"), ("c", 0, "#333")], title="t"))
    assert len(_all(root, "path", "slice")) == 2  # the zero part gets no slice, only a legend row
    whole = _parse(donut_chart([("a", 5, "#111"), ("b", 0, "#222")], title="t"))
    assert len(_all(whole, "circle", "slice")) == 1  # 100% cannot be one arc: a full ring


@pytest.mark.parametrize("parts", [[], [("a", 0, "#111"), ("b", 0, "#222")], [("a", -3, "#111")]])
def test_donut_all_zero_draws_an_empty_ring(parts):
    root = _parse(donut_chart(parts, title="t", center_text="0项"))
    assert len(_all(root, "circle", "ring-empty")) == 1
    assert "暂无数据" in _texts(root)
    assert "0项" not in _texts(root)
    assert _all(root, "path", "slice") == []


def test_donut_center_text_and_summary():
    root = _parse(
        donut_chart(
            [("已完成", 3, "#1a7f37"), ("滞后", 1, "#cf222e")], title="t", center_text="4项"
        )
    )
    assert "4项" in _texts(root)
    assert root.get("aria-label") == "t：已完成 3（75%），滞后 1（25%）；合计 4"


# --- line chart ---------------------------------------------------------------------------------


def _gridlines(root: ET.Element) -> dict[str, float]:
    """Tick label -> y of its gridline (labels and gridlines come in the same order)."""
    lines = _all(root, "line", "grid")
    labels = _all(root, "text", "y-label")
    return {label.text: float(line.get("y1")) for label, line in zip(labels, lines, strict=True)}


def test_line_target_sits_at_the_right_height():
    series = [("报送率", [(f"第{w}周", 40 + w) for w in range(20, 27)])]
    root = _parse(line_chart(series, title="t", unit="%", y_max=100, target=80))
    grid = _gridlines(root)
    assert list(grid) == ["0", "25", "50", "75", "100"]
    target = _all(root, "line", "target")[0]
    assert float(target.get("y1")) == pytest.approx(
        grid["0"] + 0.8 * (grid["100"] - grid["0"]), abs=0.01
    )
    assert target.get("stroke-dasharray")
    assert "目标 80%" in _texts(root)
    assert root.get("aria-label").endswith("；目标 80%")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([3, 7, 12], ["0", "5", "10", "15"]),
        ([0.1, 0.3], ["0", "0.1", "0.2", "0.3"]),
        ([0, 0], ["0", "0.25", "0.5", "0.75", "1"]),
        ([-20, 35], ["-20", "0", "20", "40"]),
        ([970, 1234], ["0", "500", "1000", "1500"]),
    ],
)
def test_line_y_ticks_are_nice(values, expected):
    root = _parse(line_chart([("s", [(str(i), v) for i, v in enumerate(values)])], title="t"))
    assert list(_gridlines(root)) == expected


def test_y_max_is_a_floor_not_a_clip():
    root = _parse(line_chart([("s", [("a", 120), ("b", 20)])], title="t", y_max=100))
    assert float(list(_gridlines(root))[-1]) >= 120


def test_line_gaps_break_the_line():
    points = [("1", 1), ("2", 2), ("3", None), ("4", 4), ("5", None), ("6", 6), ("7", 7)]
    root = _parse(line_chart([("s", points)], title="t"))
    runs = [p.get("points").split() for p in _all(root, "polyline", "series")]
    assert [len(r) for r in runs] == [2, 2]  # 1-2 and 6-7; the lone 4 is only a dot
    assert len(_all(root, "circle")) == 5


def test_line_many_labels_are_thinned_and_the_last_is_shown():
    labels = [f"第{w}周" for w in range(1, 81)]
    root = _parse(line_chart([("s", [(x, w % 7) for w, x in enumerate(labels)])], title="t"))
    shown = [t.text for t in _all(root, "text", "x-label")]
    assert 3 <= len(shown) < 20
    assert shown[-1] == "第80周"
    xs = [float(t.get("x")) for t in _all(root, "text", "x-label")]
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.02  # evenly spaced (up to coordinate rounding)
    assert min(gaps) > 36  # wider than "第80周" at 11 units


def test_line_few_labels_are_all_shown():
    root = _parse(line_chart([("s", [("第1周", 1), ("第2周", 2), ("第3周", 3)])], title="t"))
    assert [t.text for t in _all(root, "text", "x-label")] == ["第1周", "第2周", "第3周"]


def test_line_legend_only_with_several_series():
    one = _parse(line_chart([("报送率", [("a", 1)])], title="t"))
    two = _parse(line_chart([("报送率", [("a", 1)]), ("完成率", [("a", 2), ("b", 3)])], title="t"))
    assert _all(one, "text", "legend") == []
    assert [t.text for t in _all(two, "text", "legend")] == ["报送率", "完成率"]
    # x labels come from the longest series; the shorter one just stops
    assert [t.text for t in _all(two, "text", "x-label")] == ["a", "b"]


@pytest.mark.parametrize(
    "series",
    [[], [("s", [])], [("s", [("a", None), ("b", None)])], [("s", [("a", float("inf"))])]],
)
def test_line_chart_without_data(series):
    root = _parse(line_chart(series, title="t", target=80))
    assert "暂无数据" in _texts(root)


def test_line_single_point_and_flat_zero():
    _parse(line_chart([("s", [("第1周", 5)])], title="t", target=3))
    root = _parse(line_chart([("s", [("a", 0), ("b", 0)])], title="t"))
    assert len(_all(root, "polyline", "series")) == 1


def test_line_summary_in_words():
    root = _parse(
        line_chart(
            [("报送率", [("第1周", 40), ("第2周", 90), ("第3周", None), ("第4周", 70.5)])],
            title="趋势",
            unit="%",
        )
    )
    assert root.get("aria-label") == (
        "趋势：报送率：第1周至第4周，最新（第4周）70.5%，最高 90%（第2周），最低 40%（第1周）"
    )


# --- progress bar -------------------------------------------------------------------------------


def test_light_colors():
    assert LIGHT_COLORS == {
        "green": "#1a7f37",
        "yellow": "#bf8700",
        "red": "#cf222e",
        "grey": "#8c959f",
    }


def test_progress_bar_fill_tick_and_label():
    root = _parse(progress_bar(45, expected=38, light="yellow"))
    fill = _all(root, "rect", "fill")[0]
    assert float(fill.get("width")) == 45
    assert fill.get("fill") == LIGHT_COLORS["yellow"]
    tick = _all(root, "line", "expected")[0]
    assert float(tick.get("x1")) == 38
    assert root.get("aria-label") == "完成 45%，序时进度 38%"


@pytest.mark.parametrize(
    ("value", "expected", "width", "tick"),
    [(130, 150, 100, 100), (-5, -1, 0, 0), (float("nan"), None, 0, None), (None, None, 0, None)],
)
def test_progress_bar_clamps(value, expected, width, tick):
    root = _parse(progress_bar(value, expected=expected))
    assert float(_all(root, "rect", "fill")[0].get("width")) == width
    ticks = _all(root, "line", "expected")
    assert (float(ticks[0].get("x1")) if ticks else None) == tick
    assert "完成 " + str(width) + "%" in root.get("aria-label")


def test_progress_bar_unknown_light_is_grey_and_no_tick_without_expected():
    root = _parse(progress_bar(12.5, light="purple"))
    assert _all(root, "rect", "fill")[0].get("fill") == LIGHT_COLORS["grey"]
    assert _all(root, "line", "expected") == []
    assert root.get("aria-label") == "完成 12.5%"
    assert not math.isnan(float(_all(root, "rect", "fill")[0].get("width")))
