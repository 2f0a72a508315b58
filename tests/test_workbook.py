"""reports/workbook.py: the weekly 督查 workbook, written and read back with openpyxl (no DB)."""

import datetime
import io
import math
import tempfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from reports import workbook as workbook_module
from reports.workbook import MAIN_HEADERS, NO_CHANGES, NO_MISSING, SHEET_NAMES, build_workbook
from reports.workbook_data import (
    Change,
    LeaderSummary,
    MissingUnit,
    SectionBlock,
    TaskRow,
    UnitSummary,
    WorkbookData,
)

TITLE = "2022年区政府工作报告重点工作任务推进情况周报"
PERIOD = "第20周（5月16日—5月22日）"
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
LABELS = ["已办结", "序时推进", "滞后", "严重滞后", "未报送", "未启动"]
FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "grey": "EDEDED"}


def task(number, text, *, status_label, light, completion, **fields):
    values = dict(
        number=number,
        text=text,
        lead_leaders="张娅、刘兆华",
        lead_units="区发展和改革局",
        cooperating_units="区政府各部门（单位）、各镇政府（街道办事处）",
        progress="已完成年度目标的一半。",
        problems="",
        next_steps="继续推进。",
        completion=completion,
        expected=38.9,
        status="on_schedule",
        status_label=status_label,
        light=light,
        reporting="区发改局 已采纳；区财政局 逾期报送",
        next_node="06-30 开工 30%",
        last_node="否：03-31 完成立项 10%（实际 5%）",
    )
    values.update(fields)
    return TaskRow(**values)


def sample_data(**overrides) -> WorkbookData:
    sections = [
        SectionBlock(
            "一、主要预期目标",
            [
                task(
                    "1",
                    "地区生产总值增长6.5%左右",
                    status_label="序时推进",
                    light="green",
                    completion=45.0,
                    progress=HYPERLINK,
                    problems="@SUM(1)",
                ),
                task(
                    "2",
                    "一般公共预算收入增长5%",
                    status_label="滞后",
                    light="yellow",
                    completion=30.5,
                    next_steps="\t=1",
                ),
            ],
        ),
        SectionBlock(
            "二、重点工作任务",
            [
                task(
                    "6(1)",
                    "+1",
                    status_label="严重滞后",
                    light="red",
                    completion=5.0,
                    progress="-1",
                ),
                task(
                    "6(2)",
                    "建设城市更新项目",
                    status_label="未报送",
                    light="grey",
                    completion=None,
                    progress="",
                    reporting=DDE,
                ),
                task(
                    "7",
                    "完成老旧小区改造",
                    status_label="已办结",
                    light="green",
                    completion=100.0,
                    closed_on=datetime.date(2022, 5, 18),
                ),
            ],
        ),
    ]
    values = dict(
        title=TITLE,
        period_label=PERIOD,
        generated_at=datetime.datetime(2022, 5, 20, 18, 0),
        sections=sections,
        leaders=[
            LeaderSummary(
                "张娅",
                {"已办结": 1, "序时推进": 1, "滞后": 1, "严重滞后": 1, "未报送": 1, "未启动": 0},
                ["2 一般公共预算收入增长5%（滞后）", "6(1) +1（严重滞后）"],
            ),
            LeaderSummary("刘兆华", {"序时推进": 1}, []),
        ],
        units=[
            UnitSummary("区发展和改革局", 5, 0, 5, 3, 1, 1, 80.0, ["2 一般公共预算收入增长5%"]),
            UnitSummary("=区财政局", 0, 2, 0, 0, 0, 0, 0.0, []),
        ],
        missing=[MissingUnit("堂邑镇", ["6(2) 建设城市更新项目", "7 完成老旧小区改造"])],
        changes=[
            Change("2", "一般公共预算收入增长5%", "序时推进", "滞后", "-税源减少"),
            Change("6(1)", "+1", "", "严重滞后", ""),
        ],
    )
    values.update(overrides)
    return WorkbookData(**values)


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "weekly.xlsx"
    build_workbook(sample_data(), path)
    return openpyxl.load_workbook(path)


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def fill_of(cell):
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


def test_sheet_names_in_order(book):
    assert book.sheetnames == [
        "概况",
        "总表",
        "按牵头领导",
        "按单位",
        "未报送",
        "本周变化",
        "待审批申请",
    ]
    assert list(SHEET_NAMES) == book.sheetnames


def test_title_rows_and_header(book):
    sheet = book["总表"]
    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == PERIOD
    assert sheet["A3"].value == "生成时间：2022年5月20日 18:00"
    for row in (1, 2, 3):  # nothing else on the title rows: the text spans over empty cells
        assert [c.value for c in sheet[row][1:]] == [None] * (len(MAIN_HEADERS) - 1)
    assert sheet["A1"].alignment.horizontal == "centerContinuous"
    assert sheet["L1"].alignment.horizontal == "centerContinuous"
    assert sheet["A1"].font.b
    header = [c.value for c in sheet[4]]
    assert header == [
        "序号",
        "工作任务",
        "牵头领导",
        "牵头单位",
        "配合单位",
        "本期进展",
        "存在问题",
        "下步打算",
        "完成进度",
        "序时进度",
        "状态",
        "下一节点",
        "上一节点是否按期完成",
        "报送情况",
        "完成时限",
        "延期后时限",
    ]
    assert tuple(header) == MAIN_HEADERS
    assert sheet.max_column == len(MAIN_HEADERS) == 16


def test_task_rows_in_order_with_section_rows_between(book):
    sheet = book["总表"]
    rows = values(sheet)[4:]
    assert [r[0] for r in rows] == [
        "一、主要预期目标",
        "1",
        "2",
        "二、重点工作任务",
        "6(1)",
        "6(2)",
        "7",
    ]
    assert len(rows) == 7 == sheet.max_row - 4
    for index in (5, 8):  # section rows: title in A, bold, light fill, the rest empty but boxed
        cells = sheet[index]
        assert [c.value for c in cells[1:]] == [None] * (len(MAIN_HEADERS) - 1)
        assert cells[0].font.b
        assert not cells[0].alignment.wrap_text  # so it runs on over the empty cells
        assert {fill_of(c) for c in cells} == {"F2F2F2"}
        assert all(c.border.top.style == "thin" and c.border.bottom.style == "thin" for c in cells)
        assert cells[0].border.left.style == "thin" and cells[-1].border.right.style == "thin"
        # no inner vertical lines cutting through the title
        assert not (cells[0].border.right and cells[0].border.right.style)
        assert not (cells[1].border.left and cells[1].border.left.style)
    first = rows[1]
    assert first[1] == "地区生产总值增长6.5%左右"
    assert first[2] == "张娅、刘兆华"
    assert first[3] == "区发展和改革局"
    assert first[4] == "区政府各部门（单位）、各镇政府（街道办事处）"
    assert first[7] == "继续推进。"
    assert first[11] == "06-30 开工 30%"  # 下一节点
    assert first[12] == "否：03-31 完成立项 10%（实际 5%）"  # 上一节点是否按期完成
    assert first[13] == "区发改局 已采纳；区财政局 逾期报送"


def test_status_fill_by_light_with_label_as_text(book):
    sheet = book["总表"]
    found = {}
    for row in sheet.iter_rows(min_row=5):
        if row[1].value is None:
            continue  # section row
        found[row[0].value] = (row[10].value, fill_of(row[10]))
    assert found == {
        "1": ("序时推进", FILLS["green"]),
        "2": ("滞后", FILLS["yellow"]),
        "6(1)": ("严重滞后", FILLS["red"]),
        "6(2)": ("未报送", FILLS["grey"]),
        "7": ("已办结\n2022-05-18", FILLS["green"]),  # closed: with its date
    }


def test_completion_is_a_percent_number_cell(book):
    sheet = book["总表"]
    cells = {row[0].value: row[8] for row in sheet.iter_rows(min_row=5) if row[1].value}
    assert cells["1"].value == 45.0 and cells["1"].data_type == "n"
    assert cells["1"].number_format == '0.0"%"'
    assert cells["2"].value == 30.5
    assert cells["7"].value == 100.0
    assert cells["6(2)"].value == "—"  # not reported: no figure


def test_expected_progress_stands_beside_completion_as_a_percent_number(book):
    sheet = book["总表"]
    assert sheet["I4"].value == "完成进度" and sheet["J4"].value == "序时进度"
    cells = {row[0].value: row[9] for row in sheet.iter_rows(min_row=5) if row[1].value}
    assert cells["1"].value == 38.9 and cells["1"].data_type == "n"
    assert cells["1"].number_format == '0.0"%"'


def test_dangerous_text_is_stored_as_plain_strings(book):
    sheet = book["总表"]
    stored = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    by_value = {c.value: c for c in stored}
    for text in (HYPERLINK, "@SUM(1)", "\t=1", "+1", "-1", DDE):
        cell = by_value["'" + text]
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
    assert "'" + "-税源减少" in [c.value for row in book["本周变化"].iter_rows() for c in row]
    assert book["按单位"]["A3"].value == "'=区财政局"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def test_print_settings_on_every_sheet(book):
    titles = {
        "概况": None,  # one page: nothing to repeat
        "总表": "1:4",
        "按牵头领导": "1:1",
        "按单位": "1:1",
        "未报送": "1:1",
        "本周变化": "1:1",
        "待审批申请": "1:1",
    }
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == 8  # A3
        assert int(setup.fitToWidth or 1) == 1  # 1 is the default: XlsxWriter leaves it out
        assert int(setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.print_title_rows or "").replace("$", "") == (titles[sheet.title] or "")
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        if sheet.title not in (
            "概况",
            "总表",
        ):  # no title rows there: the page header names the week
            assert PERIOD in sheet.oddHeader.center.text
    assert book["总表"].freeze_panes == "A5"
    for name in SHEET_NAMES[2:]:
        assert book[name].freeze_panes == "A2"


def test_column_widths_and_font(book):
    for sheet in book.worksheets:
        width = sheet.max_column
        for index in range(1, width + 1):
            letter = openpyxl.utils.get_column_letter(index)
            assert sheet.column_dimensions[letter].width > 5, (sheet.title, letter)
    main = book["总表"]
    assert main.column_dimensions["B"].width >= 30  # task text
    assert main.column_dimensions["F"].width >= 40  # progress
    body = main["B6"]
    assert body.font.name == "宋体"
    assert body.alignment.wrap_text
    assert body.border.left.style == "thin" and body.border.bottom.style == "thin"
    assert main["A4"].font.name == "宋体" and main["A4"].font.b


def test_leader_sheet(book):
    rows = values(book["按牵头领导"])
    assert rows[0] == ["牵头领导", *LABELS, "合计", "滞后任务"]
    assert rows[1] == [
        "张娅",
        1,
        1,
        1,
        1,
        1,
        0,
        5,
        "2 一般公共预算收入增长5%（滞后）\n6(1) +1（严重滞后）",
    ]
    assert rows[2] == ["刘兆华", 0, 1, 0, 0, 0, 0, 1, None]
    assert book["按牵头领导"]["I2"].alignment.wrap_text


def test_unit_sheet(book):
    sheet = book["按单位"]
    rows = values(sheet)
    assert rows[0] == [
        "单位",
        "牵头任务",
        "配合任务",
        "应报",
        "按时",
        "逾期",
        "未报",
        "报送率",
        "滞后任务",
    ]
    assert rows[1] == ["区发展和改革局", 5, 0, 5, 3, 1, 1, 80.0, "2 一般公共预算收入增长5%"]
    assert sheet["H2"].number_format == '0.0"%"'
    # nothing due: no made-up rate
    assert rows[2] == ["'=区财政局", 0, 2, 0, 0, 0, 0, "—", None]


def test_missing_and_change_sheets(book):
    assert values(book["未报送"]) == [
        ["单位", "序号", "未报送任务"],
        ["堂邑镇", "6(2)", "建设城市更新项目"],
        ["堂邑镇", "7", "完成老旧小区改造"],
    ]
    changes = book["本周变化"]
    assert values(changes) == [
        ["序号", "工作任务", "上期状态", "本期状态", "新增问题"],
        ["2", "一般公共预算收入增长5%", "序时推进", "滞后", "'-税源减少"],
        ["6(1)", "'+1", None, "严重滞后", None],
    ]
    # the labels carry the 总表 colours
    assert fill_of(changes["C2"]) == FILLS["green"]
    assert fill_of(changes["D2"]) == FILLS["yellow"]
    assert fill_of(changes["D3"]) == FILLS["red"]


def test_empty_missing_and_changes(tmp_path):
    path = tmp_path / "empty.xlsx"
    build_workbook(sample_data(missing=[], changes=[], leaders=[], units=[]), path)
    book = openpyxl.load_workbook(path)
    assert values(book["未报送"]) == [["单位", "序号", "未报送任务"], [NO_MISSING, None, None]]
    assert NO_MISSING == "本期各单位均已报送"
    assert values(book["本周变化"]) == [
        ["序号", "工作任务", "上期状态", "本期状态", "新增问题"],
        [NO_CHANGES, None, None, None, None],
    ]
    assert NO_CHANGES == "本期无状态变化"
    assert not book["本周变化"]["A2"].alignment.wrap_text
    assert values(book["按牵头领导"]) == [["牵头领导", *LABELS, "合计", "滞后任务"]]
    assert len(values(book["按单位"])) == 1


def test_no_sections(tmp_path):
    path = tmp_path / "bare.xlsx"
    build_workbook(sample_data(sections=[]), path)
    sheet = openpyxl.load_workbook(path)["总表"]
    assert sheet.max_row == 4


def test_control_characters_and_odd_numbers_do_not_break_the_file(tmp_path):
    """Word pastes \\v for a manual line break; XML cannot hold it. NaN would corrupt the file."""
    row = task(
        "9",
        "任务\x0b第二行",
        status_label="滞后",
        light="unknown",
        completion=math.nan,
        progress="\x01=1+1",
    )
    data = sample_data(sections=[SectionBlock("三、其他", [row])])
    path = tmp_path / "odd.xlsx"
    build_workbook(data, path)
    sheet = openpyxl.load_workbook(path)["总表"]
    cells = sheet[6]
    assert cells[1].value == "任务\n第二行"
    assert cells[5].value == "'=1+1"  # cleaned first, then neutralised
    assert cells[8].value == "—"
    assert fill_of(cells[10]) is None and cells[10].value == "滞后"


def test_a_crash_while_saving_leaves_no_partial_file(tmp_path, monkeypatch):
    def broken_close(self):
        with open(self.filename, "wb") as handle:
            handle.write(b"PK\x03\x04 partial")
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    target = tmp_path / "weekly.xlsx"
    with pytest.raises(OSError, match="disk full"):
        build_workbook(sample_data(), target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_crash_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "weekly.xlsx"
    build_workbook(sample_data(), target)
    before = target.read_bytes()

    def broken_close(self):
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError):
        build_workbook(sample_data(title="新标题"), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["weekly.xlsx"]


def test_a_crash_while_writing_rows_leaves_nothing_behind(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"  # where the sheets' row streams go
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def broken(workbook, data):
        raise RuntimeError("bad data")

    monkeypatch.setattr(workbook_module, "_unit_sheet", broken)
    target = tmp_path / "out" / "weekly.xlsx"
    with pytest.raises(RuntimeError):
        build_workbook(sample_data(), target)
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
    # the sheets already streamed to temporary files were removed too
    assert list(scratch.iterdir()) == []


def test_write_table_still_works(tmp_path):
    from common.xlsx import write_table

    path = tmp_path / "table.xlsx"
    write_table(
        path, sheet_title="台账", headers=["序号", "任务"], rows=[["1", "=1+1"]], widths=[8, 40]
    )
    sheet = openpyxl.load_workbook(path)["台账"]
    assert values(sheet) == [["序号", "任务"], ["1", "'=1+1"]]
    assert sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape"


def test_rows_get_heights_that_fit_their_text(tmp_path):
    long_progress = "推进重点项目建设，" * 40  # 360 characters in a 48-wide column
    data = sample_data(
        sections=[
            SectionBlock(
                "一、主要预期目标",
                [
                    task("1", "短", status_label="滞后", light="yellow", completion=1.0),
                    task(
                        "2",
                        "短",
                        status_label="滞后",
                        light="yellow",
                        completion=1.0,
                        progress=long_progress,
                    ),
                ],
            )
        ]
    )
    path = tmp_path / "heights.xlsx"
    build_workbook(data, path)
    sheet = openpyxl.load_workbook(path)["总表"]
    heights = {i: sheet.row_dimensions[i].height for i in range(1, sheet.max_row + 1)}
    assert all(heights.values()), heights  # every row has a height: the same in Excel, WPS, LO
    assert heights[1] > heights[2] >= heights[4]  # 16 pt title, 11 pt subtitle, 10 pt header
    short, long = heights[6], heights[7]
    assert long > 3 * short
    # 360 characters at ~24 a line: 15-16 lines of 14.5 pt, below Excel's 409 pt limit
    assert 200 <= long <= 260


def test_text_lines_estimate():
    from common.row_heights import fitted_height, text_lines

    assert text_lines("", 20) == 1
    assert text_lines("一二三四五", 20) == 1
    assert text_lines("一" * 40, 48) == 2  # ~24 CJK characters a line in 48 width units
    assert text_lines("a" * 40, 48) == 1  # Latin letters are half as wide
    assert text_lines("一\n二\n三", 48) == 3
    assert fitted_height(["一" * 40, None, "x"], [48, 10, 10]) > fitted_height(["x"], [48])
    assert fitted_height(["一" * 10_000], [10]) == 409  # Excel's maximum row height


def test_row_writer_takes_only_prepared_cells(tmp_path):
    from common.xlsx import RowWriter, new_workbook, save_atomically, text_cell

    book = new_workbook()
    sheet = book.create_sheet("x")
    rows = RowWriter(sheet, [10, 10])
    rows.append([text_cell(sheet, "=1"), None], ["=1", None])
    with pytest.raises(TypeError):
        rows.append([text_cell(sheet, "half"), "=raw value"])  # refused before anything is written
    rows.append([text_cell(sheet, "next"), text_cell(sheet, 1)])
    save_atomically(book, tmp_path / "rows.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "rows.xlsx")
    assert values(loaded["x"]) == [["'=1", None], ["next", 1]]


def test_styles_stay_right_across_interleaved_workbooks(tmp_path):
    """Resolved styles are cached per workbook; two workbooks built side by side must not mix."""
    from common.xlsx import HEADER_FILL, LIGHT_FILLS, new_workbook, save_atomically, text_cell

    books = [new_workbook() for _ in range(2)]
    sheets = [book.create_sheet("s") for book in books]
    # different first styles, so the style indexes differ between the two workbooks
    sheets[1].append([text_cell(sheets[1], "h", fill=HEADER_FILL)])
    for _ in range(3):
        for sheet in sheets:
            sheet.append([text_cell(sheet, "red", fill=LIGHT_FILLS["red"])])
    for index, book in enumerate(books):
        save_atomically(book, tmp_path / f"{index}.xlsx")
    for index in range(2):
        sheet = openpyxl.load_workbook(tmp_path / f"{index}.xlsx")["s"]
        reds = [row[0] for row in sheet.iter_rows() if row[0].value == "red"]
        assert len(reds) == 3
        assert {fill_of(cell) for cell in reds} == {FILLS["red"]}
        assert all(cell.font.name == "宋体" and cell.border.left.style == "thin" for cell in reds)


def test_write_table_with_a_merged_title_filters_and_percent_numbers(tmp_path):
    from common.xlsx import FRACTION_PERCENT_FORMAT, PERCENT_FORMAT, write_table

    path = tmp_path / "list.xlsx"
    write_table(
        path,
        sheet_title="任务清单",
        headers=["序号", "任务", "完成进度", "报送率"],
        rows=[["1", "=1+1", 45.0, 0.5], ["2", "任务", None, "—"], ["3", "x", Decimal("12.5"), 1]],
        widths=[8, 40, 10, 10],
        title="任务清单（截至2022年5月18日）",
        filters=True,
        number_formats={2: PERCENT_FORMAT, 3: FRACTION_PERCENT_FORMAT},
    )
    sheet = openpyxl.load_workbook(path)["任务清单"]
    assert values(sheet) == [
        ["任务清单（截至2022年5月18日）", None, None, None],
        ["序号", "任务", "完成进度", "报送率"],
        ["1", "'=1+1", 45.0, 0.5],
        ["2", "任务", None, "—"],
        ["3", "x", 12.5, 1],
    ]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    assert sheet["A1"].font.b and sheet["A1"].alignment.horizontal == "center"
    assert sheet.auto_filter.ref == "A2:D5"
    assert sheet["C3"].data_type == "n" and sheet["C3"].number_format == PERCENT_FORMAT
    assert sheet["D3"].number_format == FRACTION_PERCENT_FORMAT
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows.replace("$", "") == "1:2"


def test_a_title_row_and_a_filter_on_a_sheet_of_rows(tmp_path):
    from common.xlsx import (
        RowWriter,
        autofilter,
        new_workbook,
        percent_cell,
        save_to_stream,
        text_cell,
        title_row,
    )

    book = new_workbook()
    sheet = book.create_sheet("封面")
    rows = RowWriter(sheet, [20, 10])
    rows.append(title_row(sheet, "@周报", 2), height=30)
    rows.append([text_cell(sheet, "单位"), text_cell(sheet, "报送率")])
    rows.append([text_cell(sheet, "区财政局"), percent_cell(sheet, 80.0)])
    rows.append([text_cell(sheet, "堂邑镇"), percent_cell(sheet, None)])
    autofilter(sheet, header_row=2, last_row=rows.row, width=2)
    stream = io.BytesIO()
    save_to_stream(book, stream)
    loaded = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["封面"]
    assert values(loaded) == [
        ["'@周报", None],
        ["单位", "报送率"],
        ["区财政局", 80.0],
        ["堂邑镇", "—"],
    ]
    assert [str(r) for r in loaded.merged_cells.ranges] == ["A1:B1"]
    assert loaded.row_dimensions[1].height == 30
    assert loaded.auto_filter.ref == "A2:B4"
    assert loaded["B3"].number_format == '0.0"%"'


def test_dates_and_times_stay_dates_in_local_time(tmp_path):
    from common.xlsx import write_table

    moment = datetime.datetime(2022, 5, 18, 9, 30, tzinfo=datetime.UTC)
    path = tmp_path / "dates.xlsx"
    write_table(
        path,
        sheet_title="s",
        headers=["日期", "时间"],
        rows=[[datetime.date(2022, 5, 18), moment]],
        widths=[12, 18],
    )
    sheet = openpyxl.load_workbook(path)["s"]
    assert sheet["A2"].value == datetime.datetime(2022, 5, 18)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == moment.astimezone().replace(tzinfo=None)


def test_the_cover_sheet_reads_back_with_status_and_section_counts_and_the_reporting_rate(
    tmp_path,
):
    path = tmp_path / "cover.xlsx"
    build_workbook(sample_data(as_of=datetime.date(2022, 5, 15)), path)
    sheet = openpyxl.load_workbook(path)["概况"]
    rows = values(sheet)
    assert rows[0][0] == TITLE and rows[1][0] == PERIOD
    assert rows[2][0] == "数据截至：2022年5月15日"
    assert rows[3][0] == "生成时间：2022年5月20日 18:00"
    start = [r[0] for r in rows].index("状态")
    assert [r[:3] for r in rows[start : start + 8]] == [
        ["状态", "任务数", "占比"],
        ["已办结", 1, 20.0],
        ["序时推进", 1, 20.0],
        ["滞后", 1, 20.0],
        ["严重滞后", 1, 20.0],
        ["未报送", 1, 20.0],
        ["未启动", 0, 0.0],
        ["合计", 5, 100.0],
    ]
    assert sheet.cell(start + 2, 3).number_format == '0.0"%"'
    sections = [r[0] for r in rows].index("部分")
    assert rows[sections] == ["部分", *LABELS, "合计"]
    assert rows[sections + 1] == ["一、主要预期目标", 0, 1, 1, 0, 0, 0, 2]
    assert rows[sections + 2] == ["二、重点工作任务", 1, 0, 0, 1, 1, 0, 3]
    totals = [r[0] for r in rows].index("本期各单位合计")
    # 5 due (the development bureau; the finance bureau owes nothing): 3 on time + 1 late
    assert rows[totals][:6] == ["本期各单位合计", 5, 3, 1, 1, 80.0]
    assert rows[totals - 1][1:6] == ["应报", "按时", "逾期", "未报", "报送率"]


def test_units_are_ranked_lowest_rate_first_and_end_with_a_total_row(tmp_path):
    path = tmp_path / "units.xlsx"
    units = [
        UnitSummary("区发展和改革局", 5, 0, 5, 3, 1, 1, 80.0, []),
        UnitSummary("区财政局", 0, 2, 0, 0, 0, 0, 100.0, []),
        UnitSummary("堂邑镇", 0, 4, 4, 1, 0, 3, 25.0, []),
    ]
    build_workbook(sample_data(units=units), path)
    rows = values(openpyxl.load_workbook(path)["按单位"])
    assert [r[0] for r in rows[1:]] == ["堂邑镇", "区发展和改革局", "区财政局", "合计"]
    assert rows[-1][:8] == ["合计", 5, 6, 9, 4, 1, 4, 55.6]
