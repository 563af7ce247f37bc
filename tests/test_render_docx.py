"""The disclosure as Word (.docx): the explanation, every table with its merged header and the
published amounts, every form; it opens in LibreOffice Writer (#12)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from yusuan.render.docx import docx_bytes
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm

TITLE = "中共临汾市委组织部2021年部门预算"
NARRATIVE = [("一、部门职责及机构设置", ["负责全市党的组织工作。"])]


@pytest.fixture(scope="module")
def docx_file(example_tables: dict[str, Table], forms: list[ProjectForm]) -> bytes:
    return docx_bytes(
        list(example_tables.values()),
        forms,
        title=TITLE,
        subtitle="山西省临汾市",
        narrative=NARRATIVE,
    )


def table_titled(document: object, title: str) -> object:
    """The first Word table after the heading ``title``."""
    found = False
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph) and block.text == title:
            found = True
        elif found and isinstance(block, DocxTable):
            return block
    raise AssertionError(f"no table after {title!r}")


def test_explanation_tables_and_forms_are_in_the_document(docx_file: bytes) -> None:
    document = Document(io.BytesIO(docx_file))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == TITLE
    assert "一、部门职责及机构设置" in texts and "负责全市党的组织工作。" in texts
    for title in ("2021年预算收支总表", "2021年“三公”经费预算表", "人才专项资金"):
        assert title in texts, title
    assert document.core_properties.title == TITLE
    assert "yusuan" not in " ".join(texts), "no build stamp on a page"


def test_a_table_keeps_its_merged_header_and_the_published_amounts(docx_file: bytes) -> None:
    document = Document(io.BytesIO(docx_file))
    table = table_titled(document, "2021年预算支出汇总表")
    header = table.rows[0].cells  # type: ignore[attr-defined]
    # 项目 spans 科目编码 and 科目名称; 2021年预算数 spans the three amount columns (seed table 3)
    assert header[0] is not None and header[0].text == header[1].text == "项目"
    assert header[2].text == header[3].text == header[4].text == "2021年预算数"
    rows = [[c.text for c in r.cells] for r in table.rows]  # type: ignore[attr-defined]
    assert ["", "合计", "12,347.83", "992.27", "11,355.56"] in rows
    assert ["2013201", "　　行政运行", "700.08", "700.08", ""] in rows


def test_a_form_has_its_funds_and_indicators(docx_file: bytes) -> None:
    document = Document(io.BytesIO(docx_file))
    texts = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["资金总额", "4,320.00", "1,440.00"] in texts  # 人才专项资金, seed form
    assert any(row[2:] == ["培训合格率(%)", "≥90%"] for row in texts if len(row) == 4)


@pytest.mark.slow
def test_libreoffice_writer_opens_it(docx_file: bytes, tmp_path: Path) -> None:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.fail("LibreOffice Writer and pdftotext are needed: run `make system`")
    (tmp_path / "budget.docx").write_bytes(docx_file)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            *(soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"),
            *("--outdir", str(tmp_path), str(tmp_path / "budget.docx")),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert (tmp_path / "budget.pdf").is_file(), result.stdout + result.stderr
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "budget.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    squeezed = "".join(text.split())  # pdftotext spaces Latin digits from Chinese
    for printed in ("12,347.83", "2021年预算收支总表", "人才专项资金", "129.12"):
        assert printed in squeezed, printed
