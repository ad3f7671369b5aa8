"""The printed one-child file (一人一档) as an A4 PDF for the paper archive, with an embedded CJK font."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from ..domain.divisions import load_divisions
from ..domain.enums import (
    Assistance,
    CareType,
    Category,
    DisabilityKind,
    ExitReason,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    IncomeSource,
    LabeledEnum,
    OrphanCare,
    ParentCondition,
    ReportSituation,
    RiskLevel,
    Schooling,
    Sex,
    VisitCheck,
    VisitMode,
)
from ..domain.ethnicity import ETHNICITIES
from ..domain.labels import field_label
from ..domain.text import Text
from ..ledger import ChildFile
from ..paths import resource_path
from .common import mask_id_number, translator

_CID_FALLBACK = "STSong-Light"


@functools.cache
def cjk_font_name() -> str:
    """Register the bundled TrueType CJK font (embedded in the PDF); reportlab's CID font if none."""
    folder = resource_path("fonts")
    candidates = sorted(folder.glob("*.ttf")) + sorted(folder.glob("*.otf")) if folder.is_dir() else []
    for candidate in candidates:
        try:
            pdfmetrics.registerFont(TTFont("GXCareCJK", str(candidate)))
        except Exception:  # noqa: BLE001 - a CFF .otf reportlab cannot embed: try the next one
            continue
        return "GXCareCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(_CID_FALLBACK))
    return _CID_FALLBACK


def _label(enum_cls: type[LabeledEnum], code: str | None, language: str) -> str:
    if not code:
        return ""
    member = enum_cls._value2member_map_.get(code)
    return member.label.get(language) if isinstance(member, LabeledEnum) else code


def _labels(enum_cls: type[LabeledEnum], codes: Iterable[str] | None, language: str) -> str:
    return "、".join(_label(enum_cls, c, language) for c in (codes or []))


def _text(value: Any, language: str = "zh_CN") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return Text("是", "Yes").get(language) if value else Text("否", "No").get(language)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_child_file_pdf(
    child_file: ChildFile, path: Path | str, *, language: str = "zh_CN", full_ids: bool = False
) -> Path:
    """Lay the whole file out on A4: identity, family, care, categories, health and school, benefits, visits."""
    path = Path(path)
    font = cjk_font_name()
    tr = translator(language)
    lang = language
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    title_style = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1, spaceAfter=4)
    head_style = ParagraphStyle("head", parent=base, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3,
                                textColor=colors.HexColor("#1f3b6f"))
    c = child_file.child

    def p(value: Any) -> Paragraph:
        return Paragraph(_escape(_text(value, lang)), base)

    def ids(value: str) -> str:
        return value if full_ids else mask_id_number(value)

    def lab(name: str, entity: str = "child") -> str:
        return field_label(name, entity).get(lang)

    def pairs(items: list[tuple[str, Any]]) -> Table:
        # Two label/value pairs per line, like the paper registration form.
        rows = []
        for i in range(0, len(items), 2):
            row: list[Any] = []
            for label, value in items[i:i + 2]:
                row += [Paragraph(_escape(label), base), p(value)]
            row += [""] * (4 - len(row))
            rows.append(row)
        table = Table(rows, colWidths=[30 * mm, 55 * mm, 30 * mm, 55 * mm])
        table.setStyle(_GRID + [("BACKGROUND", (0, 0), (0, -1), _SHADE), ("BACKGROUND", (2, 0), (2, -1), _SHADE)])
        return table

    def listing(headers: list[str], rows: list[list[Any]], widths: list[float]) -> Any:
        if not rows:
            return Paragraph(_escape(tr(Text("（无）", "(none)"))), base)
        table = Table([[Paragraph(_escape(h), base) for h in headers]] + [[p(v) for v in r] for r in rows],
                      colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(_GRID + [("BACKGROUND", (0, 0), (-1, 0), _SHADE)])
        return table

    divisions = load_divisions()
    story: list[Any] = [
        Paragraph(_escape(tr(Text("儿童档案（一人一档）", "Child file"))), title_style),
        Paragraph(_escape(f"{divisions.full_name(c.division_code) if divisions.get(c.division_code) else c.division_code}"), base),
        Spacer(1, 4 * mm),
        Paragraph(_escape(tr(Text("一、基本情况", "1. Identity"))), head_style),
        pairs([
            (lab("name"), c.name), (lab("sex"), _label(Sex, c.sex, lang)),
            (lab("ethnicity"), ETHNICITIES[c.ethnicity].get(lang) if c.ethnicity in ETHNICITIES else c.ethnicity),
            (lab("birth_date"), c.birth_date),
            (lab("id_number"), ids(c.id_number)), (lab("hukou_registered"), c.hukou_registered),
            (lab("hukou_address"), c.hukou_address), (lab("address"), c.address),
            (lab("categories"), _labels(Category, c.categories, lang)), (lab("orphan_care"), _label(OrphanCare, c.orphan_care, lang)),
            (lab("registered_on"), c.registered_on), (tr(Text("风险等级", "Risk level")), _label(RiskLevel, c.risk_level, lang)),
        ]),
        Paragraph(_escape(tr(Text("二、健康与就学", "2. Health and schooling"))), head_style),
        pairs([
            (lab("health"), _label(HealthStatus, c.health, lang)), (lab("disability_kind"), _label(DisabilityKind, c.disability_kind, lang)),
            (lab("disability_grade"), c.disability_grade), (lab("illness"), c.illness),
            (lab("schooling"), _label(Schooling, c.schooling, lang)), (lab("boarding"), c.boarding),
            (lab("school_name"), c.school_name), (lab("income_sources"), _labels(IncomeSource, c.income_sources, lang)),
            (lab("assistance"), _labels(Assistance, c.assistance, lang)),
            (lab("guardianship_type"), _label(GuardianshipType, c.guardianship_type, lang)),
        ]),
        Paragraph(_escape(tr(Text("三、家庭成员", "3. Family"))), head_style),
        listing(
            [tr(Text("关系", "Relation")), lab("name", "family_member"), lab("id_number", "family_member"), lab("phone"),
             lab("condition"), tr(Text("务工地", "Works in"))],
            [[tr(field_label(m.relation)) if m.relation in ("father", "mother") else m.relation, m.name, ids(m.id_number), m.phone,
              _label(ParentCondition, m.condition, lang), f"{m.work_province}{m.work_city}"]
             for m in [x for x in (child_file.father, child_file.mother) if x is not None] + list(child_file.others)],
            [16, 22, 40, 28, 26, 38],
        ),
        Paragraph(_escape(tr(Text("四、照护情况", "4. Care"))), head_style),
    ]
    care = child_file.care
    story.append(pairs([
        (lab("care_type"), _label(CareType, care.care_type, lang) if care else ""),
        (lab("caregiver_name"), care.caregiver_name if care else ""),
        (lab("caregiver_relation"), care.caregiver_relation if care else ""),
        (lab("caregiver_phone"), care.caregiver_phone if care else ""),
        (lab("caregiver_id_number"), ids(care.caregiver_id_number) if care else ""),
        (lab("notice_given"), care.notice_given if care else None),
        (lab("disqualifications_checked"), care.disqualifications_checked if care else None),
        (lab("start_date"), care.start_date if care else None),
    ]))
    story += [
        Paragraph(_escape(tr(Text("五、补贴发放", "5. Benefits"))), head_style),
        listing([lab("kind", "benefit"), lab("amount_monthly"), lab("start_month"), lab("end_month")],
                [[_label(Assistance, b.kind, lang), f"{b.amount_monthly or 0:.2f}", b.start_month, b.end_month]
                 for b in child_file.benefits], [60, 35, 37, 38]),
        Paragraph(_escape(tr(Text("六、走访记录", "6. Home visits"))), head_style),
        listing([lab("visit_date"), lab("mode", "visit"), lab("checks"), lab("findings"), lab("guardianship_level")],
                [[v.visit_date, _label(VisitMode, v.mode, lang), _labels(VisitCheck, v.checks, lang), v.findings,
                  _label(GuardianshipLevel, v.guardianship_level, lang)] for v in child_file.visits],
                [22, 16, 40, 70, 22]),
        Paragraph(_escape(tr(Text("七、监护评估", "7. Guardianship assessments"))), head_style),
        listing([lab("assessed_on"), lab("level", "assessment"), lab("assessor"), lab("notes")],
                [[a.assessed_on, _label(GuardianshipLevel, a.level, lang), a.assessor, a.notes] for a in child_file.assessments],
                [25, 30, 30, 85]),
        Paragraph(_escape(tr(Text("八、强制报告个案", "8. Mandatory-report cases"))), head_style),
        listing([lab("opened_on"), lab("situation"), lab("current_step"), lab("closed_on")],
                [[k.opened_on, _label(ReportSituation, k.situation, lang), k.current_step, k.closed_on] for k in child_file.cases],
                [25, 85, 30, 30]),
    ]
    if c.archived:
        story += [
            Paragraph(_escape(tr(Text("九、退出", "9. Exit"))), head_style),
            pairs([(lab("exit_reason"), _label(ExitReason, c.exit_reason, lang)), (lab("exit_date"), c.exit_date)]),
        ]
    footer_text = tr(Text(
        f"打印日期：{date.today().isoformat()}　本档案含未成年人敏感个人信息，请妥善保管，不得公开。",
        f"Printed {date.today().isoformat()}. Contains sensitive personal information of a minor: keep safe, never publish.",
    ))

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(18 * mm, 10 * mm, footer_text)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{c.name}  {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"{c.name}", author="GXCare")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


_SHADE = colors.HexColor("#eef2f7")
_GRID: list[Any] = [
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
