"""The PDF, read back as a person's PDF reader would: poppler's ``pdftotext``/``pdffonts`` and
pdfminer's outline.

Every expected figure is typed from the seed (``tests/golden``) or in this file; none is produced
by yusuan. poppler-utils must be installed (``make system``).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from golden import seed_forms
from golden import seed_tables as gold
from goldenkit import shown, typographic
from paths import ROOT
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Indicator
from yusuan.render import fonts
from yusuan.render.pdf import (
    block_cuts,
    column_widths,
    cut_runs,
    longest_word,
    merge_runs,
    pdf_bytes,
)
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import synthetic_dataset

TITLE = "中共临汾市委组织部2021年部门预算"
NARRATIVE = (
    ("一、部门职责", ("负责全市党的组织建设、干部队伍建设和人才工作。",)),
    ("二、收支预算总体情况", ("2021年收支预算总计12,347.83万元。", "第二段说明。")),
)
# the one table the seed does not print (no 国有资本经营预算); titles of the others: gold.TITLES
STATE_CAPITAL_TITLE = "2021年国有资本经营预算支出预算表"
FORM_TITLE = "项目支出绩效目标申报表"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (run `make system`)")
    return path


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def page_texts(pdf: Path, mode: str) -> list[str]:
    """One string per page, from ``pdftotext -layout`` or ``-raw``."""
    return run(tool("pdftotext"), mode, str(pdf), "-").split("\f")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def starts(pages: Sequence[str], markers: Sequence[Sequence[str]]) -> list[int]:
    """For each group of markers, the first page holding all of them."""
    found = []
    for group in markers:
        page = next((i for i, text in enumerate(pages) if all(m in text for m in group)), None)
        assert page is not None, f"no page holds {group}"
        found.append(page)
    return found


def ranges(first_pages: list[int], end: int) -> list[range]:
    """Each section runs from its first page to the next section's first page."""
    bounds = sorted({*first_pages, end})
    return [range(p, next(b for b in bounds if b > p)) for p in first_pages]


def contains_amount(text: str, amount: str) -> bool:
    return re.search(rf"(?<![\d,.]){re.escape(amount)}(?![\d])", text) is not None


# --- the example's PDF ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_pdf(
    tmp_path_factory: pytest.TempPathFactory,
    example_tables: dict[str, Table],
    forms: list[ProjectForm],
) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "linfen-2021.pdf"
    path.write_bytes(
        pdf_bytes(
            list(example_tables.values()),
            forms,
            title=TITLE,
            subtitle="部门预算公开",
            narrative=NARRATIVE,
        )
    )
    return path


@pytest.fixture(scope="module")
def layout_pages(example_pdf: Path) -> list[str]:
    return page_texts(example_pdf, "-layout")


@pytest.fixture(scope="module")
def table_ranges(layout_pages: list[str]) -> dict[str, range]:
    """Title -> that table's pages (from its title and unit line to the next table's)."""
    titles = [title for title, _ in gold.TITLES] + [STATE_CAPITAL_TITLE]
    firsts = starts(layout_pages, [(title, "单位：") for title in titles])
    forms_start = starts(layout_pages, [(FORM_TITLE, "项目名称", "主管部门及代码")])[0]
    return dict(zip(titles, ranges(firsts, forms_start), strict=True))


@pytest.fixture(scope="module")
def table_pages(layout_pages: list[str], table_ranges: dict[str, range]) -> dict[str, str]:
    return {title: "\n".join(layout_pages[p] for p in r) for title, r in table_ranges.items()}


def summary_amounts(summary: dict[str, object]) -> Iterator[str]:
    for _, value in summary["income"]:  # type: ignore[attr-defined]
        yield value
    for _, value, *more in summary["expenditure"]:  # type: ignore[attr-defined]
        yield value
        yield from more
    yield summary["income_total"]  # type: ignore[misc]
    total = summary["expenditure_total"]
    yield from total if isinstance(total, tuple) else (total,)  # type: ignore[misc]


def function_amounts(table: dict[str, object]) -> Iterator[str | None]:
    for _, _, values in table["rows"]:  # type: ignore[attr-defined]
        yield from values


EXPECTED = {
    "2021年预算收支总表": lambda: summary_amounts(gold.INCOME_EXPENDITURE_SUMMARY),
    "2021年预算收入总表": lambda: function_amounts(gold.INCOME_TABLE),
    "2021年预算支出汇总表": lambda: function_amounts(gold.EXPENDITURE_TABLE),
    "2021年财政拨款收支总表": lambda: summary_amounts(gold.FISCAL_SUMMARY),
    "2021年一般公共预算支出预算表": lambda: function_amounts(gold.GENERAL_BUDGET_EXPENDITURE),
    "一般公共预算安排基本支出分经济科目表": lambda: (
        v for _, _, v in gold.BASIC_BY_ECONOMIC["rows"]
    ),
    "2021年政府性基金预算收入表": lambda: function_amounts(gold.FUND_INCOME),
    "2021年政府性基金预算支出预算表": lambda: function_amounts(gold.FUND_EXPENDITURE),
    "政府采购预算资金明细表": lambda: (
        r[key] for r in gold.PROCUREMENT["rows"] for key in ("total", "government_total")
    ),
    "2021年机关运行经费预算财政拨款情况统计表": lambda: (v for _, v in gold.OPERATING_EXPENSES),
    "2021年“三公”经费预算表": lambda: (
        v for k, v in gold.THREE_PUBLIC.items() if k not in ("unit_code", "unit_name", "备注")
    ),
}


@pytest.mark.parametrize("title", list(EXPECTED))
def test_every_published_amount_is_on_its_tables_pages(
    table_pages: dict[str, str], title: str
) -> None:
    text = table_pages[title]
    amounts = [shown(v) for v in EXPECTED[title]() if v is not None]
    assert amounts, title
    missing = [a for a in amounts if not contains_amount(text, a)]
    assert not missing, f"{title}: not on its pages: {missing}"


def test_procurement_quantities_and_empty_state_capital_note(table_pages: dict[str, str]) -> None:
    procurement = table_pages["政府采购预算资金明细表"]
    for row in gold.PROCUREMENT["rows"]:
        # item rows print their own quantity; the seed's summary 373 adds different units and
        # is left blank by yusuan (see test_golden_tables.test_procurement)
        if row["quantity"] and row["quantity_unit"]:
            assert re.search(rf"(?<![\d]){row['quantity']}(?![\d])", procurement)
    assert not re.search(r"(?<![\d])373(?![\d])", procurement)
    assert "故本表为空表" in table_pages[STATE_CAPITAL_TITLE]


def test_every_table_is_on_one_page_like_the_seed(table_ranges: dict[str, range]) -> None:
    assert {title: len(pages) for title, pages in table_ranges.items() if len(pages) != 1} == {}


def test_the_cjk_font_is_embedded(example_pdf: Path) -> None:
    if not fonts.SYSTEM_CANDIDATES[0].path.is_file() and not fonts.pdf_font().embedded:
        pytest.skip("no TrueType CJK font on this machine (run `make system`)")
    listing = run(tool("pdffonts"), str(example_pdf)).splitlines()[2:]
    truetype = [line for line in listing if "TrueType" in line]
    assert truetype, "no TrueType font in the PDF:\n" + "\n".join(listing)
    for line in truetype:
        emb = line.split()[-5]
        assert emb == "yes", f"font not embedded: {line}"
    assert not any("STSong" in line for line in listing)


def test_metadata(example_pdf: Path) -> None:
    with pdfplumber.open(example_pdf) as pdf:
        meta = pdf.metadata
    assert meta["Title"] == TITLE
    assert meta["Author"] == "yusuan"
    assert meta["Subject"] == "部门预算公开"


def test_outline_has_every_table_and_project(example_pdf: Path) -> None:
    with pdfplumber.open(example_pdf) as pdf:
        outline = [(level, title) for level, title, *_ in pdf.doc.get_outlines()]
    titles = [title for _, title in outline]
    for title, _ in gold.TITLES:
        assert title in titles
    assert STATE_CAPITAL_TITLE in titles
    for form in seed_forms.FORMS:
        assert form["name"] in titles
    for heading, _ in NARRATIVE:
        assert heading in titles
    assert (1, "项目支出绩效目标申报表") in outline and (2, "人才专项资金") in outline


def test_contents_and_page_numbers(layout_pages: list[str]) -> None:
    contents = layout_pages[1]
    assert "目录" in contents and "2021年预算收支总表" in contents
    assert "第 2 页" in contents
    assert "第 1 页" not in layout_pages[0]  # the cover is not numbered
    assert "部门预算公开" in layout_pages[0] and TITLE in layout_pages[0]


def test_the_cover_carries_no_build_stamp(example_pdf: Path, layout_pages: list[str]) -> None:
    cover = squeeze(layout_pages[0])
    assert "yusuan" not in cover and "生成" not in cover
    with pdfplumber.open(example_pdf) as pdf:
        assert pdf.metadata["Creator"].startswith("yusuan ")  # the stamp lives in the metadata


def running_head(page: str) -> str:
    """The right-hand part of a page's first line (document title left, section right)."""
    first = page.splitlines()[0].strip()
    return re.split(r"\s{2,}", first)[-1]


def test_the_running_head_names_the_pages_own_table(
    layout_pages: list[str], table_ranges: dict[str, range]
) -> None:
    for title, pages in table_ranges.items():
        for page in pages:
            assert running_head(layout_pages[page]) == title, (title, page + 1)


def test_a_page_continuing_a_section_is_headed_by_it(layout_pages: list[str]) -> None:
    numbers = contents_pages(layout_pages)
    forms = [form["name"] for form in seed_forms.FORMS]
    ordered = sorted(forms, key=lambda name: numbers[name])
    for name, following in itertools.pairwise(ordered):
        for page in range(numbers[name] - 1, numbers[following] - 1):
            assert running_head(layout_pages[page]) == name, (name, page + 1)


def contents_pages(layout_pages: list[str]) -> dict[str, int]:
    """Entry -> page number, read from the contents pages (the pages headed 目录)."""
    found = {}
    for page in layout_pages[1:]:
        if not page.splitlines()[0].rstrip().endswith("目录"):
            break
        for line in page.splitlines()[1:]:
            words = line.split()
            if len(words) >= 2 and words[-1].isdigit():
                found[words[0]] = int(words[-1])
    return found


def test_contents_page_numbers_point_at_the_sections(layout_pages: list[str]) -> None:
    numbers = contents_pages(layout_pages)
    for title in [t for t, _ in gold.TITLES] + [STATE_CAPITAL_TITLE]:
        page = layout_pages[numbers[title] - 1]
        assert title in page and "单位：" in page and f"第 {numbers[title]} 页" in page
    for form in seed_forms.FORMS:
        page = squeeze(layout_pages[numbers[form["name"]] - 1])
        assert f"项目名称{form['name']}主管部门及代码" in page


# --- the forms -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def form_pages(example_pdf: Path) -> list[str]:
    """The text of each form's pages, whitespace removed (a wrapped cell reads as one string)."""
    pages = [squeeze(p) for p in page_texts(example_pdf, "-raw")]
    names = [form["name"] for form in seed_forms.FORMS]
    firsts = starts(pages, [(FORM_TITLE, f"项目名称{name}主管部门及代码") for name in names])
    return ["".join(pages[p] for p in r) for r in ranges(firsts, len(pages))]


@pytest.mark.parametrize(
    "index", range(len(seed_forms.FORMS)), ids=[f["name"] for f in seed_forms.FORMS]
)
def test_every_form_shows_its_funds_and_indicators(form_pages: list[str], index: int) -> None:
    gold_form = seed_forms.FORMS[index]
    text = form_pages[index]
    for half, label in (("period_funds", "实施期资金总额："), ("year_funds", "年度资金总额：")):
        funds = gold_form[half]
        assert f"{label}{shown(funds['total'])}" in text, half
        for key in ("central", "provincial", "city", "county", "self"):
            assert contains_amount(text, shown(funds[key])), (half, key)
    for half in ("period_indicators", "year_indicators"):
        for _, _, name, value in gold_form[half]:
            assert squeeze(name) in text, (half, name)
            assert squeeze(typographic(value)) in text, (half, name, value)
    assert ">=" not in text and "<=" not in text
    for field in ("person_in_charge", "phone"):
        assert squeeze(gold_form[field]) in text


def test_indicator_labels_are_merged(form_pages: list[str]) -> None:
    # 党员教育中心工作经费: 产出指标 spans 18 rows, so it is printed once per half, not 18 times
    first = form_pages[0]
    assert first.count("产出指标") == 1
    assert first.count("数量指标") == 2  # once under 实施期, once under 年度


# --- long tables and big forms -------------------------------------------------------------------


def test_a_long_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    tables = build_tables(synthetic_dataset(1_000, 100), only=["income"])
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes(tables, [], title="合成部门2021年部门预算"))
    pages = page_texts(path, "-layout")
    first = starts(pages, [("2021年预算收入总表", "单位：")])[0]
    body = [p for p in pages[first:] if p.strip()]
    assert len(body) >= 5
    for page in body:
        for header in ("科目编码", "科目名称", "本年收入合计", "一般公共预算", "单位资金"):
            assert header in page
    coded_rows = len(tables[0].rows) - 1  # all but 合计
    assert sum(len(re.findall(r"^\s*\d{3,7}\s", p, re.M)) for p in body) == coded_rows


def indicator(project: str, period: str, i: int) -> Indicator:
    return Indicator(
        project, period, "产出指标", "数量指标", f"第{i}项数量指标（个）", "=", str(i), "个"
    )


def test_a_form_with_very_long_merges_and_texts_still_breaks_across_pages(
    forms: list[ProjectForm], tmp_path: Path
) -> None:
    form = forms[0]
    name = form.project.name
    big = replace(
        form,
        project=replace(form.project, overview="很长的项目概况。" * 700),
        period_indicators=tuple(indicator(name, PERIOD_IMPLEMENTATION, i) for i in range(90)),
        year_indicators=tuple(indicator(name, PERIOD_YEAR, i) for i in range(80)),
    )
    path = tmp_path / "big-form.pdf"
    path.write_bytes(pdf_bytes([], [big], title="测试"))
    text = squeeze("".join(page_texts(path, "-raw")))
    for i in range(90):
        assert f"第{i}项数量指标（个）={i}个" in text
    assert text.count("很长的项目概况。") == 700


# --- pure helpers --------------------------------------------------------------------------------


def test_merge_runs() -> None:
    assert merge_runs(["a", "a", "b", None, None, "b", "b", "b"]) == [(0, 1), (2, 2), (5, 7)]
    assert merge_runs([]) == []


def test_block_cuts_only_split_blocks_taller_than_the_limit() -> None:
    heights = [10.0] * 10
    assert block_cuts([(0, 3), (5, 6)], heights, 100) == set()
    assert block_cuts([(0, 9)], heights, 35) == {3, 6, 9}
    # overlapping runs in two columns join into one block
    assert block_cuts([(0, 4), (4, 9)], heights, 60) == {6}
    assert cut_runs([(0, 4), (4, 9)], {6}) == [(0, 4), (4, 5), (6, 9)]


def test_column_widths() -> None:
    assert column_widths([10, 30], [0, 0], 400) == [80, 240]  # capped at 8 points per hint
    widths = column_widths([10, 10, 20], [100, 0, 0], 200)
    assert widths[0] == 100 and sum(widths) == pytest.approx(200)
    assert column_widths([10, 10], [150, 150], 200) == [150, 150]  # needs win
    assert longest_word("[30231]公务用车运行维护费") == "[30231]"
    assert longest_word("C0956301-车辆维修") == "C0956301-"


def test_font_setting_parses_a_collection_index() -> None:
    assert fonts.parse_font_setting("/fonts/a.ttc:2") == (Path("/fonts/a.ttc"), 2)
    assert fonts.parse_font_setting("/fonts/a.ttf") == (Path("/fonts/a.ttf"), 0)
    assert fonts.parse_font_setting(r"C:\fonts\a.ttf") == (Path(r"C:\fonts\a.ttf"), 0)


def test_the_chosen_font_has_a_licence_note() -> None:
    font = fonts.pdf_font()
    assert font.licence and font.name
    if fonts.SYSTEM_CANDIDATES[0].path.is_file() and not os.environ.get(fonts.ENV_VAR):
        assert font.embedded and font.family == "AR PL SungtiL GB"


def test_a_font_without_chinese_is_refused_with_a_warning() -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file() or not fonts.SYSTEM_CANDIDATES[0].path.is_file():
        pytest.skip("needs DejaVu Sans and AR PL SungtiL GB")
    with pytest.warns(UserWarning, match="YUSUAN_FONT"):
        font = fonts._resolve(str(dejavu))
    assert font.family == "AR PL SungtiL GB" and font.embedded


def test_without_a_truetype_font_the_pdf_falls_back_to_stsong(
    monkeypatch: pytest.MonkeyPatch, example_tables: dict[str, Table], tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "SYSTEM_CANDIDATES", ())
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "missing-font.ttf"))
    with pytest.warns(UserWarning) as warned:
        font = fonts.pdf_font()
    assert any("STSong-Light" in str(w.message) for w in warned)
    assert font.name == "STSong-Light" and not font.embedded
    path = tmp_path / "fallback.pdf"
    path.write_bytes(pdf_bytes([example_tables["three-public"]], [], title="三公"))
    listing = run(tool("pdffonts"), str(path))
    assert "STSong-Light" in listing
    assert "129.12" in run(tool("pdftotext"), "-layout", str(path), "-")


def test_closing_punctuation_never_starts_a_wrapped_line() -> None:
    """行首禁则: at every width, no line after the first starts with ，：；。、） etc.; ReportLab
    alone pushed “，” and “：” to the next line (seen in a built explanation)."""
    from reportlab.platypus import Paragraph

    from yusuan.render.pdf import NO_LINE_START, paragraph_style

    style = paragraph_style(fonts.pdf_font().name, 10.5)
    text = (
        "2013202 组织事务（款）一般行政管理事务（项）项目支出1,749.73万元。2021年预算数为"
        "1,692.00万元，2022年预算安排1,749.73万元，比2021年预算数增加57.73万元，增长3.41%。"
        "主要原因是：2022年相关工作任务增加，预算相应增加；详见《说明》）。"
    )
    starts = []
    for width in range(150, 460):
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 10_000)
        lines = ["".join(words) for _, words in paragraph.blPara.lines]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
        starts += [(width, line[:1]) for line in lines[1:]]
    assert [s for s in starts if s[1] in NO_LINE_START + "。、"] == []
