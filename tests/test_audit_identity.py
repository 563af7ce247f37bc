"""Which body, year, kind (预算/决算) and level (部门/单位) each real document says it is.

Typed by hand from the documents' covers and 部门/预算单位 lines (``pdftotext -layout``): the
body as the document prints it for itself, the year it is about (a 决算's is the year it accounts
for), and whether it is a 部门预算 (a department with its units) or a 单位预算 (one unit).
"""

from __future__ import annotations

import pytest

from paths import SHARED
from yusuan.audit.document import RecognisedDocument, TextLine, identify
from yusuan.audit.run import read_path

REALDOCS = SHARED / "realdocs"

# file -> (body as printed, year, kind, level)
EXPECTED = {
    # no cover: the paragraphs open with "江苏省政协办公厅2019年度…"
    "jiangsu-cppcc-office-2019-budget-narrative.pdf": ("江苏省政协办公厅", 2019, "预算", "部门"),
    # "部门：江苏省政协办公厅" above every table
    "jiangsu-cppcc-office-2019-budget-tables.pdf": ("江苏省政协办公厅", 2019, "预算", "部门"),
    # cover "2017年度江苏省高级人民法院部门预算公开"
    "jiangsu-high-court-2017-budget.pdf": ("江苏省高级人民法院", 2017, "预算", "部门"),
    # cover "江苏省人大常委会办公厅 / 2017年度部门预算"
    "jiangsu-npc-office-2017-budget.pdf": ("江苏省人大常委会办公厅", 2017, "预算", "部门"),
    # "部门：中国共产党江苏省委员会办公厅" above the tables
    "jiangsu-party-committee-office-2017-budget-tables.pdf": (
        "中国共产党江苏省委员会办公厅",
        2017,
        "预算",
        "部门",
    ),
    # cover "江苏省委办公厅 2017 年度部门预算" (its part titles shorten it to 省委办公厅)
    "jiangsu-party-committee-office-2017-budget.pdf": ("江苏省委办公厅", 2017, "预算", "部门"),
    # cover "江苏省2018年度 / 省级部门预算公开报表 / 部门:中共江苏省委办公厅"
    "jiangsu-party-committee-office-2018-budget-tables.pdf": (
        "中共江苏省委办公厅",
        2018,
        "预算",
        "部门",
    ),
    # cover "江苏省人民检察院 / 2017 年部门预算" (the text says 省检察院)
    "jiangsu-procuratorate-2017-budget.pdf": ("江苏省人民检察院", 2017, "预算", "部门"),
    "jiangsu-procuratorate-2019-budget.pdf": ("江苏省人民检察院", 2019, "预算", "部门"),
    # the template's placeholder, cover "上海市 XX 局 / 2024 年度部门决算"
    "shanghai-final-accounts-template-2024.pdf": ("上海市XX局", 2024, "决算", "部门"),
    # cover "上海市2025年市级单位预算 / 预算单位：上海市财政局"
    "shanghai-finance-bureau-2025-unit-budget.pdf": ("上海市财政局", 2025, "预算", "单位"),
    # cover "上海市普陀区2025年区级部门预算 / 预算主管部门：上海市普陀区商务委员会"
    "shanghai-putuo-commerce-2025-budget.pdf": ("上海市普陀区商务委员会", 2025, "预算", "部门"),
    "shanghai-putuo-commerce-2025-unit-budget.pdf": (
        "上海市普陀区商务委员会",
        2025,
        "预算",
        "单位",
    ),
    "shanghai-putuo-justice-2026-budget.pdf": ("上海市普陀区司法局", 2026, "预算", "部门"),
    # cover "中共上海市普陀区委 / 社会工作部 2024 年度 / 部门决算": the year accounted for
    "shanghai-putuo-social-work-2024-final.pdf": (
        "中共上海市普陀区委社会工作部",
        2024,
        "决算",
        "部门",
    ),
    "shanghai-putuo-wanli-street-2024-budget.pdf": (
        "上海市普陀区人民政府万里街道办事处",
        2024,
        "预算",
        "部门",
    ),
    # cover "上海市普陀区社会福利院2024年单位预算 / 预算单位：上海市普陀区社会福利院"
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": (
        "上海市普陀区社会福利院",
        2024,
        "预算",
        "单位",
    ),
}


@pytest.fixture(scope="module")
def documents() -> dict[str, RecognisedDocument]:
    return {name: read_path(REALDOCS / name) for name in EXPECTED}


def test_every_real_document_is_covered() -> None:
    assert sorted(p.name for p in REALDOCS.glob("*.pdf")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_year_kind_and_level(name: str, documents: dict[str, RecognisedDocument]) -> None:
    doc = documents[name]
    assert (doc.department, doc.year, doc.kind, doc.level) == EXPECTED[name]


def _doc(lines: list[str], department: str = "", year: int = 0) -> RecognisedDocument:
    return RecognisedDocument(
        source="t",
        year=year,
        department=department,
        tables={},
        narrative=tuple(TextLine(i, t) for i, t in enumerate(lines, start=1)),
    )


def test_an_area_alone_is_not_a_body_and_a_listed_unit_is_not_the_department() -> None:
    """ "上海市普陀区2025年区级部门预算" names where, not who; "所属单位：东郊国宾馆、西康宾馆。"
    lists units inside a sentence, not the document's body."""
    found = identify(
        _doc(
            [
                "上海市普陀区2025年区级部门预算",
                "预算主管部门：上海市普陀区某某局",
                "目录",
                "所属单位：东郊国宾馆、西康宾馆。",
            ]
        )
    )
    assert (found.department, found.year, found.kind, found.level) == (
        "上海市普陀区某某局",
        2025,
        "预算",
        "部门",
    )


def test_without_any_sign_the_readers_findings_stand() -> None:
    found = identify(_doc(["一、主要职能", "负责全省财政工作。"], department="某某厅", year=2020))
    assert (found.department, found.year, found.level) == ("某某厅", 2020, "")


def test_a_sentence_is_not_a_cover() -> None:
    """No cover: a first line that is a sentence about another year's 预算 does not set the year."""
    found = identify(
        _doc(
            ["根据2023年预算执行情况，本部门2025年预算编制如下。", "一、主要职能"],
            department="某某厅",
            year=2025,
        )
    )
    assert (found.department, found.year) == ("某某厅", 2025)
