"""Node markers on the line chart (common.charts.line_chart(markers=…)). Pure."""

from common.charts import line_chart

SERIES = [("完成进度", [("第1周", 5.0), ("第2周", 12.0), ("第3周", 20.0)])]


def test_each_node_is_a_shape_of_its_kind_with_its_label_and_a_legend():
    svg = line_chart(
        SERIES,
        title="任务 24",
        unit="%",
        y_max=100,
        markers=[(1, 15.0, "missed", "4月30日 完成申报 15%"), (2, 18.0, "met", "5月15日 备案 18%")],
    )
    assert svg.count('class="node node-missed"') == 2  # the mark and its legend entry
    assert svg.count('class="node node-met"') == 2
    assert "<title>4月30日 完成申报 15%</title>" in svg
    assert "未按期完成" in svg and "按期完成" in svg
    assert "节点：4月30日 完成申报 15%未按期完成，5月15日 备案 18%按期完成" in svg


def test_markers_outside_the_categories_are_left_out_and_no_legend_without_markers():
    svg = line_chart(SERIES, title="t", markers=[(7, 50.0, "pending", "12月31日 竣工 100%")])
    assert "node-pending" not in svg and "节点：" not in svg
    plain = line_chart(SERIES, title="t")
    assert plain == line_chart(SERIES, title="t", markers=[])
