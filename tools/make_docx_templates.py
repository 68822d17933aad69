"""Write the Word templates of the register's papers (templates/register_<kind>.docx) once, with
python-docx; after that they are the office's to edit in Word or WPS (wording, fonts, the red
header) — keep the Jinja tags. Each template takes the same context as the paper's HTML template
(checklist/outputs/papers.py): ``{{ … }}`` in a run, ``{%p … %}`` for a paragraph,
``{%tr … %}`` for a table row (docxtpl).

    .venv/bin/python tools/make_docx_templates.py      # → templates/register_*.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BODY_FONT, TITLE_FONT = "宋体", "黑体"
RED = RGBColor(0xC0, 0x39, 0x2B)


def _font(run, name: str, size: float, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


class Paper:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = BODY_FONT, Pt(11)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def line(self, text: str, *, size: float = 11, align=None, font: str = BODY_FONT, color=None, indent: bool = False):
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), font, size, color)
        return p

    def head(self) -> None:
        self.line("{%p if paper.body %}")
        self.line("{{ paper.body }}", size=18, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, color=RED)
        self.line("{%p endif %}")
        self.line("{{ paper.title }}", size=20, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
        self.line("{{ paper.number }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(3.5), Cm(13)
            cells[0].text, cells[1].text = label, value

    def loop_table(self, header: list[str], cells: list[str], loop: str, widths: list[float]) -> None:
        """A table with a header row and one row per item: ``{%tr for … %}`` … ``{%tr endfor %}``."""
        table = self.doc.add_table(rows=4, cols=len(header))
        table.style = "Table Grid"
        for i, text in enumerate(header):
            table.rows[0].cells[i].text = text
        table.rows[1].cells[0].text = "{%tr " + loop + " %}"
        for i, text in enumerate(cells):
            table.rows[2].cells[i].text = text
        table.rows[3].cells[0].text = "{%tr endfor %}"
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)

    def major(self) -> None:
        """The 重大事故隐患 ``h``: its grading basis, interim measures, 督办 and the 治理方案 in full."""
        self.facts(
            [
                ("定级依据", "{{ h.basis or '（未写明）' }}"),
                ("临时安全措施", "{{ h.interim or '（未填写，须立即采取）' }}"),
                (
                    "挂牌督办",
                    "{% if h.supervision %}督办单位 {{ h.supervision.unit }}；督办编号 {{ h.supervision.number }}；"
                    "督办期限 {{ h.supervision.deadline }}{% else %}未挂牌督办{% endif %}",
                ),
            ]
        )
        self.line("治理方案{% if h.plan_author %}（制定人：{{ h.plan_author }}）{% endif %}：")
        self.loop_table(["内容", "治理方案"], ["{{ part.title }}", "{{ part.text }}"], "for part in h.plan", [4, 12.5])

    def signatures(self, lines: list[str]) -> None:
        self.line("")
        for text in lines:
            self.line(text)

    def seal(self) -> None:
        self.line("")
        self.line("（盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT, color=RGBColor(0xAA, 0xAA, 0xAA))
        self.line("{{ paper.body or '（发文机关）' }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.line("{{ paper.issued_cn or '　　年　　月　　日' }}", align=WD_ALIGN_PARAGRAPH.RIGHT)

    def save(self, name: str) -> Path:
        path = TEMPLATES / name
        self.doc.core_properties.author = "checklist"
        self.doc.save(path)
        return path


def notice() -> Paper:
    p = Paper()
    p.head()
    p.line("{{ unit }}：")
    p.line(
        "{{ found_cn }}，检查人员{{ inspectors }}对{{ target }}进行了安全生产检查，发现下列事故隐患共 {{ hazards | length }} 项"
        "{% if majors %}（其中重大事故隐患 {{ majors | length }} 项）{% endif %}。请按所列整改措施和整改期限完成整改，"
        "整改完成后及时报告，接受复查。",
        indent=True,
    )
    p.loop_table(
        ["编号", "部位", "隐患描述", "等级", "整改措施", "责任人", "整改期限"],
        [
            "{{ h.id }}",
            "{{ h.place }}",
            "{{ h.description }}（依据 {{ h.ref }}）",
            "{{ h.level }}",
            "{{ h.measure }}",
            "{{ h.owner }}",
            "{{ h.due_issued }}{% if h.extended %}（{{ h.extended }}）{% endif %}",
        ],
        "for h in hazards",
        [2.4, 2.2, 3.6, 1.8, 3.4, 1.6, 2.0],
    )
    p.line("{%p for h in majors %}")
    p.line("{{ h.id }} 重大事故隐患治理要求", font=TITLE_FONT, size=12)
    p.major()
    p.line(
        "重大事故隐患须在治理方案六项内容齐备后方可开始整改；治理完成后须组织治理评估{% if h.supervision %}，"
        "并经督办单位{{ h.supervision.unit }}督办销号{% endif %}，复查合格后方可销号。"
    )
    p.line("{%p endfor %}")
    p.signatures(["检查人员（签字）：　　　　　　　　　　日期：", "被检查单位负责人（签收）：　　　　　　签收日期："])
    p.seal()
    p.line("本通知书一式两份，检查单位和被检查单位各执一份。检查记录 {{ audit_name }}，SHA-256 {{ audit_sha256 }}。", size=8)
    return p


def opinion() -> Paper:
    p = Paper()
    p.head()
    p.line("{{ unit }}：")
    p.line("复查人员{{ reviewers }}对下列事故隐患的整改情况进行了复查，意见如下。", indent=True)
    p.loop_table(
        ["编号", "隐患描述", "整改期限", "完成情况", "复查结论", "复查意见", "复查人", "复查日期"],
        [
            "{{ h.id }}（{{ h.level }}）",
            "{{ h.description }}",
            "{{ h.due_issued }}{% if h.extended %}（{{ h.extended }}）{% endif %}",
            "{{ h.rectified or '—' }}",
            "{{ '通过，予以销号' if h.review.passed else '不通过，继续整改' }}",
            "{{ h.review.opinion or '—' }}",
            "{{ h.review.by }}",
            "{{ h.review.on }}",
        ],
        "for h in hazards",
        [2.2, 3.0, 2.0, 2.6, 1.8, 2.4, 1.5, 1.9],
    )
    p.line("{%p if failed %}")
    p.line(
        "复查不通过的隐患，请按复查意见继续整改，整改期限：{% for h in failed %}{{ h.id }} {{ h.due }}{{ '；' if not loop.last else '。' }}{% endfor %}"
    )
    p.line("{%p endif %}")
    p.line("{%p for h in majors %}")
    p.line("{{ h.id }} 重大事故隐患", font=TITLE_FONT, size=12)
    p.facts(
        [
            ("定级依据", "{{ h.basis or '（未写明）' }}"),
            (
                "挂牌督办",
                "{% if h.supervision %}督办单位 {{ h.supervision.unit }}；督办编号 {{ h.supervision.number }}；"
                "督办期限 {{ h.supervision.deadline }}{% else %}未挂牌督办{% endif %}",
            ),
            (
                "治理评估",
                "{% if h.assessment %}{{ h.assessment.assessor }}于{{ h.assessment.on }}评估：{{ h.assessment.conclusion }}"
                "（评估报告 {{ h.assessment.file }}，SHA-256 {{ h.assessment.sha256 }}）{% else %}尚未评估{% endif %}",
            ),
            (
                "督办销号",
                "{% if h.signoff %}{{ h.signoff.by }}于{{ h.signoff.on }}：{{ h.signoff.opinion }}"
                "{% elif h.supervision %}尚未督办销号{% else %}—{% endif %}",
            ),
        ]
    )
    p.line("{%p endfor %}")
    p.signatures(["复查人员（签字）：　　　　　　　　　　日期：", "被复查单位负责人（签收）：　　　　　　签收日期："])
    p.seal()
    return p


def supervision() -> Paper:
    p = Paper()
    p.head()
    p.line("{{ unit }}：")
    p.line(
        "{{ found_cn }}检查发现你单位存在下列重大事故隐患。依据《北京市广电局“三管三必须”实施细则（试行）》（京广发〔2026〕11号）"
        "第四十条，对该隐患实行挂牌督办{% if h.supervision %}，督办单位为{{ h.supervision.unit }}，督办编号 {{ h.supervision.number }}，"
        "督办期限 {{ h.supervision.deadline }}{% endif %}。",
        indent=True,
    )
    p.facts(
        [
            ("隐患编号", "{{ h.id }}"),
            ("被检查对象", "{{ h.target }}"),
            ("部位", "{{ h.place }}"),
            ("隐患描述", "{{ h.description }}"),
            ("检查依据", "{{ h.ref }}：{{ h.ask }}"),
            ("整改措施", "{{ h.measure }}"),
            ("整改责任人", "{{ h.owner }}"),
            ("整改期限", "{{ h.due_issued }}{% if h.extended %}（{{ h.extended }}）{% endif %}"),
        ]
    )
    p.major()
    p.line(
        "请你单位落实临时安全措施，按治理方案在督办期限内完成治理；治理完成后组织治理评估，将评估报告报督办单位申请督办销号，"
        "经督办销号和复查合格后销号。延期须经批准，超过督办期限的须经督办单位同意。",
        indent=True,
    )
    p.signatures(["被督办单位主要负责人（签收）：　　　　　　签收日期："])
    p.seal()
    return p


def signoff() -> Paper:
    p = Paper()
    p.head()
    p.line("{{ unit }}：")
    p.line(
        "你单位重大事故隐患 {{ h.id }}{% if h.supervision %}（督办编号 {{ h.supervision.number }}，督办单位 {{ h.supervision.unit }}）"
        "{% endif %}已完成治理{% if h.assessment %}，经{{ h.assessment.assessor }}于{{ h.assessment.on }}评估，结论为："
        "{{ h.assessment.conclusion }}{% endif %}。{% if h.signoff %}{{ h.signoff.by }}于{{ h.signoff.on }}代表督办单位审核，"
        "意见为：{{ h.signoff.opinion }}。{% endif %}现予督办销号。",
        indent=True,
    )
    p.facts(
        [
            ("隐患描述", "{{ h.description }}"),
            ("部位", "{{ h.place }}"),
            ("定级依据", "{{ h.basis or '（未写明）' }}"),
            ("整改期限", "{{ h.due_issued }}{% if h.extended %}（{{ h.extended }}）{% endif %}"),
            (
                "挂牌督办",
                "{% if h.supervision %}督办单位 {{ h.supervision.unit }}；督办编号 {{ h.supervision.number }}；"
                "督办期限 {{ h.supervision.deadline }}{% else %}—{% endif %}",
            ),
            ("完成情况", "{{ h.rectified or '—' }}{% if h.rectified_by %}（{{ h.rectified_by }} {{ h.rectified_on }} 报告）{% endif %}"),
            (
                "治理评估",
                "{% if h.assessment %}{{ h.assessment.assessor }}，{{ h.assessment.on }}：{{ h.assessment.conclusion }}"
                "（评估报告 {{ h.assessment.file }}，SHA-256 {{ h.assessment.sha256 }}）{% else %}—{% endif %}",
            ),
            ("督办销号意见", "{% if h.signoff %}{{ h.signoff.opinion }}（{{ h.signoff.by }}，{{ h.signoff.on }}）{% else %}—{% endif %}"),
        ]
    )
    p.line("请你单位巩固治理成果，防止隐患反弹；该隐患经复查合格后销号。", indent=True)
    p.seal()
    return p


def main() -> int:
    for kind, make in (("notice", notice), ("opinion", opinion), ("supervision", supervision), ("signoff", signoff)):
        print(make().save(f"register_{kind}.docx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
