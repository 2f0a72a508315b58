"""The one place Word documents are written: bulletins (督查通报) and one-page notices.

python-docx over code, no template file: every paragraph comes from a named style set here, so
the look lives in one module, and text always goes in as text (a run's w:t), never as a field
or a template expression. The only field in a document is the PAGE number in the footer.

Layout after GB/T 9704 (党政机关公文格式): A4 portrait, margins 37/35/28/26 mm, body 仿宋_GB2312
三号 (16 pt) on a fixed 28 pt line, headings 黑体, titles 方正小标宋简体, Latin text Times New Roman.
Readers without those fonts get the font table's alternatives (w:altName: 宋体, 仿宋, 楷体, SimHei,
which every Windows and WPS machine has); LibreOffice substitutes through fontconfig.
Tables repeat their header row on every page and never split a row across pages.
"""

import copy
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
# Written to the font table: what Word and WPS use where the font is not installed.
FONT_FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEADING_FONT: "SimHei"}
RED = RGBColor(0xE6, 0x00, 0x12)  # the masthead red

# Characters XML 1.0 cannot hold (python-docx/lxml raise on them); \v and \f are line breaks.
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")

# name: (font, size pt, bold, alignment, first-line indent in characters, red)
STYLES = {
    "通报报头": (TITLE_FONT, 30, False, WD_ALIGN_PARAGRAPH.CENTER, 0, True),
    "通报期号": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "通报发文": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
    "公文标题": (TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "一级标题": (HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2, False),
    "二级标题": (KAI_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2, False),
    "公文正文": (BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, False),
    "表头": (HEADING_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "表格文字": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
    "表格居中": (BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "版记": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
    "页码": ("宋体", 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "分隔线": (BODY_FONT, 2, False, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
}
LINE_PITCH = {
    "分隔线": 2,
    "公文正文": 28,
    "一级标题": 28,
    "二级标题": 28,
    "通报发文": 28,
    "版记": 24,
}


def clean(text) -> str:
    """Text as it may go into a w:t: XML-safe, line breaks as \\n (python-docx makes w:br)."""
    text = "" if text is None else str(text)
    return _ILLEGAL.sub("", _BREAKS.sub("\n", text))


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    centered: bool = False


@dataclass
class Notice:
    """A one-page document: 批示件 (instruction sheet), 黄色/红色督办单 (escalation notice) …"""

    title: str  # "领导批示件" / "督办单"
    fields: list[tuple[str, str]]  # label, value: the boxed form
    sections: list[tuple[str, str]] = field(default_factory=list)  # heading, text: below the form
    issuer: str = ""  # the office, bottom right
    date_text: str = ""  # "2022年5月18日"
    number_line: str = ""  # "督办〔2022〕3号", under the title
    red: bool = False  # a red title (红色督办单); black otherwise


class DocxWriter:
    """Build one document top to bottom, then save() or to_bytes()."""

    def __init__(self):
        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)
        self.text_width_mm = 210 - 28 - 26
        self._add_styles()
        self._declare_fonts()

    # --- styles and fonts -------------------------------------------------------------------

    def _add_styles(self):
        styles = self.document.styles
        normal = styles["Normal"]
        _set_fonts(normal, BODY_FONT)
        normal.font.size = Pt(16)
        for name, (font, size, bold, alignment, indent, red) in STYLES.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            _set_fonts(style, font)
            style.font.size = Pt(size)
            style.font.bold = bold
            if red:
                style.font.color.rgb = RED
            pf = style.paragraph_format
            pf.alignment = alignment
            pf.space_before = pf.space_after = Pt(0)
            if indent:
                pf.first_line_indent = Pt(size * indent)
            if name in LINE_PITCH:
                pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                pf.line_spacing = Pt(LINE_PITCH[name])
            else:
                pf.line_spacing = 1.15 if size <= 14 else 1.0
        styles["通报报头"].paragraph_format.space_after = Pt(12)
        styles["公文标题"].paragraph_format.space_before = Pt(12)
        styles["公文标题"].paragraph_format.space_after = Pt(12)

    def _declare_fonts(self):
        """Replace the font table with one that names our fonts and their alternatives."""
        fonts = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            for name, alt in FONT_FALLBACKS.items()
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'{fonts}<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            f'<w:font w:name="{LATIN_FONT}"><w:charset w:val="00"/><w:family w:val="roman"/>'
            '<w:pitch w:val="variable"/></w:font></w:fonts>'
        )
        part = self.document.part
        for r_id, rel in list(part.rels.items()):
            if rel.reltype == RT.FONT_TABLE:
                part.drop_rel(r_id)
        table = Part.load(
            PackURI("/word/fontTable.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
            xml.encode("utf-8"),
            part.package,
        )
        part.relate_to(table, RT.FONT_TABLE)

    # --- blocks -----------------------------------------------------------------------------

    def paragraph(self, text: str, style: str = "公文正文"):
        """One paragraph per line of `text` (a justified line before a w:br would stretch)."""
        lines = clean(text).split("\n")
        for line in lines:
            paragraph = self.document.add_paragraph(line, style=style)
        return paragraph

    def masthead(self, title: str, number_line: str, issuer: str, date_text: str):
        """The red masthead, 第N期, then issuer (left) and date (right) above a red rule."""
        self.paragraph(title, "通报报头")
        self.paragraph(number_line, "通报期号")
        line = self.paragraph(f"{issuer}\t{date_text}", "通报发文")
        line.paragraph_format.tab_stops.add_tab_stop(Mm(self.text_width_mm), alignment=2)  # right
        self._rule(RED, 18, space_after=18)  # the red rule under the masthead

    def heading(self, text: str, level: int = 1):
        return self.paragraph(text, "一级标题" if level == 1 else "二级标题")

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]):
        """A bordered table; the header row repeats on every page, rows never split."""
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, spec in zip(table.columns, columns, strict=True):
            column.width = Mm(spec.width_mm)
        for cell, spec in zip(table.rows[0].cells, columns, strict=True):
            cell.width = Mm(spec.width_mm)
            cell.paragraphs[0].style = "表头"
            cell.paragraphs[0].add_run(clean(spec.header))
        # One styled row as a template, copied per row: python-docx looks a style up by name
        # on every assignment (a scan of all styles), far too slow for thousands of cells.
        template = table.add_row()
        for cell, spec in zip(template.cells, columns, strict=True):
            cell.width = Mm(spec.width_mm)
            cell.paragraphs[0].style = "表格居中" if spec.centered else "表格文字"
        element = self.document.element.body.findall(qn("w:tbl"))[-1]
        header_tr, template_tr = element.findall(qn("w:tr"))
        element.remove(template_tr)
        _row_properties(header_tr, header=True)
        _row_properties(template_tr, header=False)
        for values in rows:
            tr = copy.deepcopy(template_tr)
            for p, value in zip(tr.iter(qn("w:p")), values, strict=True):
                p.append(_text_run(clean(value)))
            element.append(tr)
        return table

    def closing_lines(self, lines: Sequence[str]):
        """版记: 抄送 / 报送 lines between rules, at the end of the document."""
        lines = [clean(line) for line in lines if line and line.strip()]
        if not lines:
            return
        self.document.add_paragraph("", style="版记")
        self._rule(RGBColor(0, 0, 0), 6, space_after=4)
        for index, text in enumerate(lines):
            p = self.document.add_paragraph(text, style="版记")
            p.paragraph_format.left_indent = Pt(14)
            p.paragraph_format.first_line_indent = Pt(0)
            if index == 0:
                p.paragraph_format.space_before = Pt(6)
        self._rule(RGBColor(0, 0, 0), 6)

    def _rule(self, color: RGBColor, size_eighths: int, space_after: int = 0) -> None:
        """A horizontal rule: an empty 2 pt paragraph with a bottom border (LibreOffice draws
        no border under a paragraph with text on an exact line pitch)."""
        paragraph = self.document.add_paragraph("", style="分隔线")
        paragraph.paragraph_format.space_after = Pt(space_after)
        p = self.document.element.body.findall(qn("w:p"))[-1]
        _insert_ppr_child(p.get_or_add_pPr(), _border(color, size_eighths))

    def page_numbers(self):
        """ "— 1 —" centred in the footer: the document's one field (PAGE), not user input."""
        footer = self.document.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.style = self.document.styles["页码"]
        p = footer.part.element.findall(qn("w:p"))[0]
        p.append(_text_run("— "))
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), "PAGE")
        simple.append(_text_run("1"))
        p.append(simple)
        p.append(_text_run(" —"))

    def notice(self, notice: Notice):
        """A one-page notice: title, number, the boxed form, sections, issuer and date."""
        title = self.paragraph(notice.title, "公文标题")
        if notice.red:
            for run in title.runs:
                run.font.color.rgb = RED
        if notice.number_line:
            self.paragraph(notice.number_line, "通报期号")
        label_width = 34
        table = self.table(
            [Column("项目", label_width, True), Column("内容", self.text_width_mm - label_width)],
            [(label, value) for label, value in notice.fields],
        )
        table.rows[0].cells[0].paragraphs[0].runs[0].text = "项　目"
        table.rows[0].cells[1].paragraphs[0].runs[0].text = "内　容"
        for heading, text in notice.sections:
            self.heading(heading)
            for part in clean(text).split("\n") or [""]:
                self.paragraph(part)
        if notice.issuer or notice.date_text:
            for text in (notice.issuer, notice.date_text):
                p = self.paragraph(text)
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.page_numbers()

    # --- output -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        """Write to a temporary file beside the target, then move it into place."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".docx", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                self.document.save(out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def notice_bytes(notice: Notice) -> bytes:
    writer = DocxWriter()
    writer.notice(notice)
    return writer.to_bytes()


def _set_fonts(style, east_asian: str) -> None:
    style.font.name = LATIN_FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")


def _border(color: RGBColor, size_eighths: int):
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), str(color))
    borders = OxmlElement("w:pBdr")
    borders.append(bottom)
    return borders


def _insert_ppr_child(ppr, child, after=("w:pStyle", "w:keepNext", "w:keepLines")) -> None:
    """pBdr comes after pStyle/keepNext/keepLines/pageBreakBefore/framePr/widowControl/numPr."""
    position = 0
    for index, existing in enumerate(ppr):
        if existing.tag in {qn(t) for t in (*after, "w:pageBreakBefore", "w:framePr")}:
            position = index + 1
        if existing.tag in {qn("w:widowControl"), qn("w:numPr"), qn("w:suppressLineNumbers")}:
            position = index + 1
    ppr.insert(position, child)


def _row_properties(tr, header: bool) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        position = 1 if tr.find(qn("w:tblPrEx")) is not None else 0
        tr.insert(position, trpr)
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _text_run(text: str):
    """A w:r holding `text` as text: lines joined by w:br, tabs as w:tab."""
    run = OxmlElement("w:r")
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        for position, piece in enumerate(line.split("\t")):
            if position:
                run.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = piece
                run.append(t)
    return run
