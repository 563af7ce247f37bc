"""Command-level reliability (issue #13): exit statuses that mean one thing, nothing destroyed,
nothing written outside ``-o``, no partial output, no leftovers, no hang, no formula injection.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from faultkit import (
    CASES,
    FAULTS,
    POINTS,
    SEED_TEXT,
    Case,
    Injector,
    clear_outputs,
    fingerprint,
    prepare,
    run_case,
)
from paths import EXAMPLE, ROOT
from yusuan.audit import run as audit_run
from yusuan.cli import app
from yusuan.console import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK
from yusuan.fsutil import PARTIAL_MARKER, atomic_directory, atomic_write_bytes, safe_file_name
from yusuan.render.spreadsheet_safe import neutralise

# openpyxl leaves a ZipFile open when a write into it fails; its finaliser complains whenever
# the garbage collector meets it (``yusuan``'s entry point, ``cli.main``, silences that unless
# --debug)
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
runner = CliRunner()
STATUSES = {EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL}


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (not hang) when the block takes longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took over {seconds} s: a hang or a quadratic path")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def copy_example(tmp_path: Path, name: str = "dataset") -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLE, target)
    return target


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- exit statuses under injected faults ----------------------------------------------------


def fault_plan(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    """The first and the last call of every point the command makes, each with a fault, the
    faults taken in turn so that every command meets each of them."""
    faults = list(FAULTS)
    plan = []
    for point in POINTS:
        for nth in sorted({1, counts.get(point, 0)} - {0}):
            if counts.get(point, 0):
                plan.append((point, nth, faults[len(plan) % len(faults)]))
    return plan


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_command_under_faults_ends_in_a_documented_status(case: Case, tmp_path: Path) -> None:
    prepare(tmp_path)
    clean = run_case(case, tmp_path, Injector())
    assert clean.status in (EXIT_OK, EXIT_FINDINGS), clean.stderr
    reference = clean.output
    clear_outputs(tmp_path)
    plan = fault_plan(clean.counts)
    assert plan or case.name in ("rules", "catalog")
    for point, nth, fault in plan:
        outcome = run_case(case, tmp_path, Injector(point, nth, fault), reference=reference)
        where = f"{case.name}: {fault} at {point} #{nth}"
        assert outcome.status in STATUSES, where
        assert not outcome.traceback, (where, outcome.stderr)
        if outcome.status in (EXIT_INPUT, EXIT_INTERNAL):  # audit reports a document on stdout
            assert outcome.stderr.strip() or "无法读取" in outcome.stdout, where
        if outcome.status == EXIT_INTERNAL:
            line = next(x for x in outcome.stderr.splitlines() if "内部错误" in x)
            assert f"yusuan {case.args(tmp_path)[0]}" in line and "internal error" in line
        assert not outcome.stray, (where, outcome.stray)
        assert not outcome.partial, (where, outcome.output)
        assert not outcome.input_changed, where
        clear_outputs(tmp_path)


def test_memory_error_is_an_internal_error_of_one_line(tmp_path: Path) -> None:
    prepare(tmp_path)
    case = next(c for c in CASES if c.name == "check")
    outcome = run_case(case, tmp_path, Injector("open-read", 1, "MemoryError"))
    assert outcome.status == EXIT_INTERNAL
    assert not outcome.traceback
    (line,) = [x for x in outcome.stderr.splitlines() if x.strip()]
    assert line.startswith("yusuan check：内部错误 / internal error: MemoryError")
    assert "--debug" in line


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    prepare(tmp_path)
    case = next(c for c in CASES if c.name == "check")
    outcome = run_case(case, tmp_path, Injector("open-read", 1, "MemoryError"), debug=True)
    assert outcome.status == EXIT_INTERNAL
    assert "Traceback" in outcome.stderr and "MemoryError" in outcome.stderr


def test_exit_statuses_are_documented() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    flat = " ".join(out.split())
    for words in ("退出码", "0 成功", "1 有致命问题", "2 输入", "3 内部错误", "--debug"):
        assert words in flat, words
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    for status in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert status in section


# --- usage errors ---------------------------------------------------------------------------


def test_an_unknown_rule_id_is_a_usage_error_naming_the_nearest_ids() -> None:
    code, out, err = invoke("check", str(EXAMPLE), "-r", "ARITH-01")
    assert code == EXIT_INPUT and out == ""
    assert "ARITH-01" in err and "ARITH-001" in err
    assert "未知的规则编号" in err and "unknown rule id" in err


def test_known_rule_ids_still_run() -> None:
    code, out, _ = invoke("check", str(EXAMPLE), "-r", "ARITH-001", "-f", "json")
    assert code in (EXIT_OK, EXIT_FINDINGS) and "ARITH-001" in out


def test_an_unknown_build_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--only", "epub")
    assert code == EXIT_INPUT and "epub" in err
    assert not (tmp_path / "o").exists()


# --- nothing destroyed (#13 item 1) ---------------------------------------------------------


def test_convert_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "thesis.txt").write_text("work", "utf-8")
    code, _, err = invoke("convert", str(EXAMPLE), str(docs))
    assert code == EXIT_INPUT
    assert str(docs) in err and "不是 yusuan 生成的" in err and "not made by yusuan" in err
    assert [p.name for p in docs.iterdir()] == ["thesis.txt"]
    assert (docs / "thesis.txt").read_text("utf-8") == "work"


def test_convert_onto_its_own_source_is_refused(tmp_path: Path) -> None:
    dataset = copy_example(tmp_path)
    before = fingerprint(dataset)
    code, _, err = invoke("convert", str(dataset), str(dataset))
    assert code == EXIT_INPUT and "与输入重叠" in err and "overlaps the input" in err
    assert fingerprint(dataset) == before and (dataset / "README.md").is_file()


def test_convert_replaces_what_it_made_and_refuses_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "copy"
    assert invoke("convert", str(EXAMPLE), str(out))[0] == EXIT_OK
    assert invoke("convert", str(EXAMPLE), str(out))[0] == EXIT_OK, "its own output is replaced"
    assert invoke("check", str(out))[0] == EXIT_FINDINGS, "the marker does not upset the reader"
    book = tmp_path / "mine.xlsx"
    book.write_bytes(b"my own workbook")
    code, _, err = invoke("convert", str(EXAMPLE), str(book))
    assert code == EXIT_INPUT and str(book) in err and "already exists" in err
    assert book.read_bytes() == b"my own workbook"


def test_export_dataset_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "thesis.txt").write_text("work", "utf-8")
    code, _, err = invoke("audit", str(SEED_TEXT), "--export-dataset", str(docs))
    assert code == EXIT_INPUT and "not made by yusuan" in err
    assert [p.name for p in docs.iterdir()] == ["thesis.txt"]


def test_a_failed_export_exits_non_zero(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    code, _, err = invoke("audit", str(SEED_TEXT), "--export-dataset", str(blocker / "dataset"))
    assert code == EXIT_INPUT
    assert "无法导出" in err and "cannot export" in err
    assert blocker.read_text("utf-8") == "x"


def test_audit_refuses_an_output_folder_it_did_not_make(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("mine", "utf-8")
    code, _, err = invoke("audit", str(SEED_TEXT), "-o", str(site))
    assert code == EXIT_INPUT and str(site) in err
    assert (site / "index.html").read_text("utf-8") == "mine"
    out = tmp_path / "report"
    assert invoke("audit", str(SEED_TEXT), "-o", str(out))[0] == EXIT_FINDINGS
    assert invoke("audit", str(SEED_TEXT), "-o", str(out))[0] == EXIT_FINDINGS, "its own"


# --- -o an existing file, a full or read-only disk (#13 item 6) ------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["build", str(EXAMPLE), "--force", "--only", "data", "-o"],
        ["audit", str(SEED_TEXT), "-o"],
        ["init"],
    ],
    ids=["build", "audit", "init"],
)
def test_an_output_folder_that_is_a_file_is_a_located_usage_error(
    command: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("keep", "utf-8")
    code, _, err = invoke(*command, str(target))
    assert code == EXIT_INPUT
    assert str(target) in err and "是一个文件" in err and "is a file" in err
    assert target.read_text("utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


@pytest.mark.parametrize(
    ("fault", "point", "words"),
    [
        ("ENOSPC", "write", "磁盘已满"),
        ("EACCES", "os-open", "没有权限"),
        ("EROFS", "replace", "只读文件系统"),
    ],
)
def test_a_full_or_read_only_disk_is_a_message_without_partial_output(
    fault: str, point: str, words: str, tmp_path: Path
) -> None:
    prepare(tmp_path)
    case = Case("convert", lambda w: ["convert", str(w / "in" / "dataset"), str(w / "o.xlsx")])
    outcome = run_case(case, tmp_path, Injector(point, 1, fault))
    assert outcome.fired and outcome.status == EXIT_INPUT
    assert words in outcome.stderr and "cannot read or write" in outcome.stderr
    assert not outcome.traceback
    assert sorted(os.listdir(tmp_path)) == ["in"], "no partial workbook, no temporary sibling"


def test_audit_report_on_a_full_disk_leaves_nothing_half_written(tmp_path: Path) -> None:
    prepare(tmp_path)
    case = Case("audit", lambda w: ["audit", str(w / "in" / "seed.txt"), "-o", str(w / "out")])
    clean = run_case(case, tmp_path, Injector())
    clear_outputs(tmp_path)
    for nth in range(1, clean.counts["write"] + 1):
        outcome = run_case(case, tmp_path, Injector("write", nth, "ENOSPC"))
        assert outcome.status == EXIT_INPUT and "磁盘已满" in outcome.stderr
        assert sorted(os.listdir(tmp_path)) == ["in"], nth
        clear_outputs(tmp_path)


# --- names that would leave -o (#13 item 3) ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../pwn", "a/b\\c", "长" * 100, "名\x07称\n二", "..", "  .hidden  "],
    ids=["climb", "slashes", "255-bytes", "control", "dots", "hidden"],
)
def test_the_department_name_never_writes_outside_the_output(name: str, tmp_path: Path) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    dataset = copy_example(work)
    manifest = dataset / "yusuan.toml"
    escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\x07", "\\u0007")
    manifest.write_text(
        manifest.read_text("utf-8").replace(
            'name = "中共临汾市委组织部"\nregion', f'name = "{escaped}"\nregion', 1
        ),
        "utf-8",
    )
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    out = work / "out"
    code, _, err = invoke("build", str(dataset), "-o", str(out), "--force", "--only", "xlsx")
    assert code == EXIT_OK, err
    after = sorted(str(p) for p in tmp_path.rglob("*") if out not in p.parents and p != out)
    assert after == before, "nothing written beside or above -o"
    (book,) = [p for p in out.iterdir() if p.suffix == ".xlsx"]
    assert len(book.name.encode("utf-8")) <= 255 and "/" not in book.name
    assert not book.name.startswith(".")


def test_safe_file_name() -> None:
    assert safe_file_name("../../pwn") == "_.._pwn"
    assert safe_file_name("a/b\x00c") == "a_b_c"
    assert safe_file_name("...") == "_"
    assert safe_file_name("某某部门") == "某某部门"
    long = safe_file_name("长" * 100)
    assert len(long.encode("utf-8")) <= 200 and set(long) == {"长"}


# --- leftovers and permissions (#13 item 10) --------------------------------------------------


def test_a_killed_runs_leftovers_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    pid = dead_pid()
    out = tmp_path / "out"
    ours_dir = tmp_path / f".out.yusuan-{pid}-abcd1234"
    ours_dir.mkdir()
    (ours_dir / PARTIAL_MARKER).write_text("", "utf-8")
    (ours_dir / "half.pdf").write_bytes(b"%PDF-")
    look_alike = tmp_path / f".out.yusuan-{pid}-efgh5678"  # no marker: not provably ours
    look_alike.mkdir()
    (look_alike / "notes.txt").write_text("mine", "utf-8")
    running = tmp_path / f".out.yusuan-{os.getpid()}-ijkl9012"  # a live run's folder
    running.mkdir()
    (running / PARTIAL_MARKER).write_text("", "utf-8")
    other = tmp_path / ".out.mine"
    other.write_text("mine", "utf-8")
    code, _, err = invoke("build", str(EXAMPLE), "-o", str(out), "--force", "--only", "data")
    assert code == EXIT_OK, err
    assert not ours_dir.exists()
    assert look_alike.is_dir() and running.is_dir() and other.is_file()

    book = tmp_path / "book.xlsx"
    stale = tmp_path / f".book.xlsx.yusuan-{pid}-x1y2z3.tmp"
    stale.write_bytes(b"half")
    assert invoke("convert", str(EXAMPLE), str(book))[0] == EXIT_OK
    assert not stale.exists() and book.is_file()


def test_a_run_killed_mid_build_leaves_a_leftover_the_next_run_removes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_directory_killed(out) as leftover:
        assert leftover.is_dir() and (leftover / PARTIAL_MARKER).is_file()
    code, _, err = invoke("build", str(EXAMPLE), "-o", str(out), "--force", "--only", "data")
    assert code == EXIT_OK, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@contextlib.contextmanager
def atomic_directory_killed(target: Path) -> Iterator[Path]:
    """What ``kill -9`` in the middle of ``atomic_directory`` leaves: a child process starts
    writing the folder and is killed; yields the temporary sibling it left."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from yusuan.fsutil import atomic_directory\n"
        "with atomic_directory(Path(sys.argv[1])) as tmp:\n"
        "    (tmp / 'started').write_text('x')\n"
        "    print(tmp, flush=True)\n"
        "    time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    leftover = Path(child.stdout.readline().strip())
    child.kill()
    child.wait()
    yield leftover


def modes(folder: Path) -> set[tuple[str, str]]:
    return {
        ("dir" if p.is_dir() else "file", oct(stat.S_IMODE(p.stat().st_mode)))
        for p in [folder, *folder.rglob("*")]
    }


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode", "parts"),
    [(0o022, "0o644", "0o755", ()), (0o027, "0o640", "0o750", ("--only", "data"))],
)
def test_outputs_get_ordinary_permissions(
    umask: int, file_mode: str, dir_mode: str, parts: tuple[str, ...], tmp_path: Path
) -> None:
    old = os.umask(umask)
    try:
        out = str(tmp_path / "out")
        code, _, err = invoke("build", str(EXAMPLE), "-o", out, "--force", *parts)
        assert code == EXIT_OK, err
        assert invoke("convert", str(EXAMPLE), str(tmp_path / "d.xlsx"))[0] == EXIT_OK
        assert invoke("audit", str(SEED_TEXT), "-o", str(tmp_path / "a"))[0] == EXIT_FINDINGS
    finally:
        os.umask(old)
    assert modes(tmp_path / "out") == {("dir", dir_mode), ("file", file_mode)}
    assert modes(tmp_path / "a") == {("dir", dir_mode), ("file", file_mode)}
    assert oct(stat.S_IMODE((tmp_path / "d.xlsx").stat().st_mode)) == file_mode


def test_atomic_write_refuses_a_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(Exception, match="is a folder"):
        atomic_write_bytes(tmp_path / "x.csv", b"a")
    (tmp_path / "f").write_text("x")
    with pytest.raises(Exception, match="is a file"), atomic_directory(tmp_path / "f"):
        pass


# --- inputs that are not regular files (#13 item 8) -------------------------------------------


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", ["audit", "check", "tables", "convert"])
@pytest.mark.parametrize("suffix", [".xlsx", ".pdf", ".csv"])
def test_a_fifo_as_input_is_refused_at_once(command: str, suffix: str, tmp_path: Path) -> None:
    pipe = fifo(tmp_path / f"input{suffix}")
    extra = [str(tmp_path / "o.xlsx")] if command == "convert" else []
    with deadline(20):
        code, _, err = invoke(command, str(pipe), *extra)
    assert code == EXIT_INPUT, err
    if command != "audit":  # audit reports it per document on stdout
        assert str(pipe) in err and "不是普通文件" in err and "not a regular file" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_a_device_or_a_folder_named_like_a_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.pdf"
    link.symlink_to("/dev/zero")
    with deadline(20):
        code, out, _ = invoke("audit", str(link))
        assert code == EXIT_INPUT and "不是普通文件" in out
        code, _, err = invoke("check", "/dev/zero")
        assert code == EXIT_INPUT and "not a regular file" in err
        folder = tmp_path / "book.xlsx"
        folder.mkdir()
        code, _, err = invoke("tables", str(folder))
        assert code == EXIT_INPUT and "is a folder, a file was expected" in err


def test_a_fifo_inside_a_dataset_folder_is_refused(tmp_path: Path) -> None:
    dataset = copy_example(tmp_path)
    (dataset / "procurement.csv").unlink()
    fifo(dataset / "procurement.csv")
    with deadline(20):
        code, _, err = invoke("check", str(dataset))
    assert code == EXIT_INPUT and "procurement.csv" in err


def test_reading_a_document_has_a_time_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(path: Path) -> object:
        time.sleep(30)
        raise AssertionError("not reached")

    monkeypatch.setattr(audit_run, "read_document", slow)
    monkeypatch.setenv("YUSUAN_READ_SECONDS", "0.3")
    with deadline(20):
        result = audit_run.audit_file(SEED_TEXT)
    assert result.status == audit_run.UNREADABLE
    assert "reading took over 0.3 s" in result.problems[0].message_en


# --- the quadratic region regex (#13 item 8) -------------------------------------------------


def test_a_10000_character_region_is_checked_quickly(tmp_path: Path) -> None:
    dataset = copy_example(tmp_path)
    manifest = dataset / "yusuan.toml"
    region = "山" * 10_000
    manifest.write_text(
        manifest.read_text("utf-8").replace('"山西省临汾市"', f'"{region}"'), "utf-8"
    )
    with deadline(30):  # minutes before the fix
        code, out, _ = invoke("check", str(dataset), "-r", "TXT-003", "-f", "json")
    assert code == EXIT_OK and '"TXT-003"' in out


LAZY_REGION_PART = re.compile(r"[^省市县区州盟旗]+?[省市县区州盟旗]")  # the pattern before the fix


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="省市县区州盟旗山西临汾x ", max_size=30))
def test_region_parts_are_found_as_before(region: str) -> None:
    from yusuan.rules.checks.text import _REGION_PART_RE

    assert _REGION_PART_RE.findall(region) == LAZY_REGION_PART.findall(region)


# --- formula injection (#13 item 5 and 11) ----------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def hostile_example(tmp_path: Path) -> Path:
    """The example with a project named like a formula, a unit named like one and a note."""
    dataset = copy_example(tmp_path)
    for path in dataset.iterdir():
        text = path.read_text("utf-8")
        text = text.replace("党员教育中心工作经费", "=HYPERLINK(1)")
        text = text.replace("中共临汾市委组织部网络宣传中心", "@网络宣传中心")
        if path.name == "budget_lines.csv":
            text = text.replace(
                "选定：单位拆分未公开 chosen: split by unit not published", "+1+2", 1
            )
        path.write_text(text, "utf-8")
    return dataset


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_inert(cells: list[str], where: str) -> None:
    for cell in cells:
        if cell.startswith(FORMULA_START):
            assert NUMBER.fullmatch(cell), (where, cell)


def test_every_csv_a_spreadsheet_opens_is_inert(tmp_path: Path) -> None:
    dataset = hostile_example(tmp_path)
    out = tmp_path / "out"
    code, _, err = invoke("build", str(dataset), "-o", str(out), "--force")
    assert code == EXIT_OK, err
    files = [out / "data" / "budget-lines.csv", out / "data" / "tables.csv"]
    files += sorted((out / "site" / "tables").glob("*.csv"))
    seen: set[str] = set()
    for path in files:
        cells = csv_cells(path.read_text("utf-8"))
        assert_inert(cells, path.name)
        seen |= set(cells)
    assert {"'=HYPERLINK(1)", "'@网络宣传中心", "'+1+2"} <= seen
    code, out_csv, _ = invoke("tables", str(dataset), "-f", "csv")
    assert code == EXIT_OK
    cells = csv_cells(out_csv)
    assert_inert(cells, "tables -f csv")
    assert "'@网络宣传中心" in cells  # a row of 机关运行经费, by unit


def test_numbers_stay_numbers_and_text_is_neutralised() -> None:
    assert neutralise("-12.50") == "-12.50" and neutralise("+3") == "+3"
    assert neutralise(-1) == -1
    assert neutralise("=1+1") == "'=1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-x") == "'-x" and neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("党员=") == "党员="


def test_the_workbook_writes_formula_like_text_as_text(tmp_path: Path) -> None:
    dataset = hostile_example(tmp_path)
    out = tmp_path / "out"
    assert invoke("build", str(dataset), "-o", str(out), "--force", "--only", "xlsx")[0] == 0
    (path,) = out.glob("*.xlsx")
    book = load_workbook(path)
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "@"))
    ]
    assert any(c.value == "=HYPERLINK(1)" for c in found)
    assert all(c.data_type == "s" for c in found), [(c.coordinate, c.data_type) for c in found]


def test_the_audit_summary_is_inert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SEED_TEXT, tmp_path / "=1+1.txt")
    code, _, _ = invoke("audit", "=1+1.txt", "-o", "out")
    assert code == EXIT_FINDINGS
    cells = csv_cells((tmp_path / "out" / "summary.csv").read_text("utf-8"))
    assert_inert(cells, "summary.csv")
    assert "'=1+1.txt" in cells


# --- injector self-check ---------------------------------------------------------------------


def test_the_injector_fires_and_restores(tmp_path: Path) -> None:
    real = open
    with Injector("open-write", 1, "ENOSPC") as injector:
        with pytest.raises(OSError) as raised:
            (tmp_path / "x").write_text("a")
        assert raised.value.errno == errno.ENOSPC and injector.fired
    assert open is real
    (tmp_path / "x").write_text("a")


def test_ctrl_c_is_not_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("yusuan.rules.check_dataset", interrupted)
    code, _, err = invoke("check", str(EXAMPLE))
    assert code == 130 and "interrupted" in err


def test_finaliser_noise_is_shown_only_when_debugging(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from types import SimpleNamespace

    from yusuan.cli import _quiet_unraisable

    try:
        raise ValueError("I/O operation on closed file.")
    except ValueError as failure:
        noise = SimpleNamespace(
            exc_type=ValueError,
            exc_value=failure,
            exc_traceback=failure.__traceback__,
            err_msg="Exception ignored in",
            object=None,
        )
    monkeypatch.setattr(sys, "argv", ["yusuan", "convert", "a", "b.xlsx"])
    _quiet_unraisable(noise)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys, "argv", ["yusuan", "--debug", "convert", "a", "b.xlsx"])
    _quiet_unraisable(noise)
    assert "Traceback" in capsys.readouterr().err
