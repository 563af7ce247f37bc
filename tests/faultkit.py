"""A fault injector for the command line: the Nth call of a low-level file operation fails.

Shared by ``tests/test_reliability_cli.py`` (a few points per command) and
``bench/bench_faults.py`` (every point). A *point* is a kind of low-level call —
opening a file to read or to write, one ``write`` to an open file, ``os.mkdir``, ``os.replace``,
``os.open`` — and a *fault* what that call raises: a full disk (ENOSPC), a read-only folder
(EACCES, EROFS), an I/O error, ``MemoryError``, ``ValueError``. ``Injector(point, nth, fault)``
patches the calls while active and raises the fault at the ``nth`` call of ``point``; with
``nth=0`` it only counts, so that a run can first learn how many calls of each point a command
makes.

``Case`` builds the command line of each ``yusuan`` command in a fresh folder and
``run_case`` runs it in-process under an injector and describes what happened: exit status,
messages, a traceback, stray or partial output, a changed input.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from paths import EXAMPLE, SHARED
from yusuan.cli import app
from yusuan.fsutil import PARTIAL_MARKER

POINTS = ("open-read", "open-write", "write", "mkdir", "replace", "os-open")


def _os_error(code: int) -> Callable[[str], BaseException]:
    def make(where: str) -> BaseException:
        return OSError(code, f"{os.strerror(code)} (injected)", where)

    return make


FAULTS: dict[str, Callable[[str], BaseException]] = {
    "ENOSPC": _os_error(errno.ENOSPC),
    "EACCES": _os_error(errno.EACCES),
    "EROFS": _os_error(errno.EROFS),
    "EIO": _os_error(errno.EIO),
    "MemoryError": lambda where: MemoryError(f"injected at {where}"),
    "ValueError": lambda where: ValueError(f"injected at {where}"),
}

_WRITE_MODES = set("wax+")


class _FailingWrites:
    """A file object whose writes go through the injector (the ``write`` point)."""

    def __init__(self, handle: Any, injector: Injector, where: str) -> None:
        self._handle, self._injector, self._where = handle, injector, where

    def write(self, data: Any) -> Any:
        self._injector.hit("write", self._where)
        return self._handle.write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __enter__(self) -> _FailingWrites:
        self._handle.__enter__()
        return self

    def __exit__(self, *exc: object) -> Any:
        return self._handle.__exit__(*exc)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._handle)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


class Injector:
    """While active, count the calls of every point and fail the ``nth`` call of ``point``."""

    def __init__(self, point: str = "", nth: int = 0, fault: str = "EIO") -> None:
        self.point, self.nth, self.fault = point, nth, fault
        self.counts: Counter[str] = Counter()
        self.fired = False
        self.fired_at = ""
        self._saved: list[tuple[Any, str, Any]] = []

    def hit(self, point: str, where: object) -> None:
        self.counts[point] += 1
        if point == self.point and self.counts[point] == self.nth and not self.fired:
            self.fired, self.fired_at = True, str(where)
            raise FAULTS[self.fault](str(where))

    def _patch(self, owner: Any, name: str, replacement: Any) -> None:
        self._saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, replacement)

    def __enter__(self) -> Injector:
        real_open, real_fdopen = builtins.open, os.fdopen
        real_mkdir, real_replace, real_os_open = os.mkdir, os.replace, os.open
        injector = self

        def opened(handle: Any, mode: str, where: object) -> Any:
            if _WRITE_MODES & set(mode):
                return _FailingWrites(handle, injector, str(where))
            return handle

        def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            writing = bool(_WRITE_MODES & set(mode))
            injector.hit("open-write" if writing else "open-read", file)
            return opened(real_open(file, mode, *args, **kwargs), mode, file)

        def fake_fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            return opened(real_fdopen(fd, mode, *args, **kwargs), mode, f"fd {fd}")

        def fake_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            injector.hit("mkdir", path)
            real_mkdir(path, *args, **kwargs)

        def fake_replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            injector.hit("replace", dst)
            real_replace(src, dst, *args, **kwargs)

        def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            injector.hit("os-open", path)
            return real_os_open(path, flags, *args, **kwargs)

        self._patch(builtins, "open", fake_open)
        self._patch(io, "open", fake_open)
        self._patch(os, "fdopen", fake_fdopen)
        self._patch(os, "mkdir", fake_mkdir)
        self._patch(os, "replace", fake_replace)
        self._patch(os, "open", fake_os_open)
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()


# --- the commands ---------------------------------------------------------------------------

SEED_TEXT = SHARED / "seed" / "000_f720d2529ea36f81.txt"


@dataclass(frozen=True)
class Case:
    """One command: its arguments in a work folder, its inputs, and the output it makes."""

    name: str
    args: Callable[[Path], list[str]]
    output: str | None = None  # relative to the work folder
    also: tuple[str, ...] = ()  # other files it makes beside the output


PARTS = ("--only", "xlsx", "--only", "data", "--only", "site")  # all but the slow PDF


def _dataset(work: Path) -> str:
    return str(work / "in" / "dataset")


CASES = (
    Case("tables", lambda w: ["tables", _dataset(w), "-f", "csv"]),
    Case("check", lambda w: ["check", _dataset(w)]),
    Case(
        "build",
        lambda w: ["build", _dataset(w), "-o", str(w / "out"), "--force", *PARTS],
        "out",
    ),
    Case("convert-xlsx", lambda w: ["convert", _dataset(w), str(w / "out.xlsx")], "out.xlsx"),
    Case("convert-folder", lambda w: ["convert", _dataset(w), str(w / "out")], "out"),
    Case("audit", lambda w: ["audit", str(w / "in" / "seed.txt"), "-o", str(w / "out")], "out"),
    Case(
        "audit-export",
        lambda w: ["audit", str(w / "in" / "seed.txt"), "--export-dataset", str(w / "out")],
        "out",
    ),
    Case("rules", lambda w: ["rules"]),
    Case("catalog", lambda w: ["catalog", "2013101"]),
    Case("init", lambda w: ["init", str(w / "out"), "--code", "901"], "out", ("out.xlsx",)),
    # 预算管理一体化 flat files (issue #10)
    Case(
        "convert-to-yitihua",
        lambda w: ["convert", _dataset(w), str(w / "out.xlsx"), "--to", "yitihua"],
        "out.xlsx",
    ),
    Case(
        "convert-from-yitihua",
        lambda w: [
            *("convert", str(w / "in" / "flat.csv"), str(w / "out"), "--from", "yitihua"),
            *("--manifest", _dataset(w)),
        ],
        "out",
    ),
)
FULL_BUILD = Case(
    "build-all", lambda w: ["build", _dataset(w), "-o", str(w / "out"), "--force"], "out"
)


def prepare(work: Path) -> None:
    """The inputs every case reads: a copy of the example dataset and of the seed text."""
    (work / "in").mkdir(parents=True)
    shutil.copytree(EXAMPLE, work / "in" / "dataset")
    shutil.copyfile(SEED_TEXT, work / "in" / "seed.txt")
    from yusuan.dataset import load_dataset
    from yusuan.dataset.yitihua import flat_csv_text

    flat = flat_csv_text(load_dataset(work / "in" / "dataset"))  # the input of convert --from
    (work / "in" / "flat.csv").write_text(flat, encoding="utf-8")


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones too) with a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def listing(path: Path) -> list[str]:
    if path.is_file():
        return ["."]
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@dataclass
class Outcome:
    """What one run did."""

    status: int
    stdout: str
    stderr: str
    fired: bool
    counts: Counter[str]
    traceback: bool
    stray: list[str] = field(default_factory=list)
    partial: bool = False
    input_changed: bool = False
    output: list[str] | None = None  # the listing of the output, if there is one


runner = CliRunner()
_TEMP_NAME = re.compile(r"\.yusuan-\d+-")  # fsutil's temporary siblings


def clear_caches() -> None:
    """Forget what yusuan cached in this process (catalogues, rules' data), so that every run
    reads the same files as a fresh process and a fault at the Nth call hits the same file."""
    for name, module in sys.modules.copy().items():
        if name.split(".")[0] != "yusuan" or module is None:
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def run_case(
    case: Case,
    work: Path,
    injector: Injector,
    *,
    reference: list[str] | None = None,
    debug: bool = False,
) -> Outcome:
    """Run ``case`` in ``work`` (prepared) under ``injector``; judge against ``reference``, the
    output listing of a run without faults."""
    clear_caches()
    before_inputs = fingerprint(work / "in")
    before = set(os.listdir(work))
    args = (["--debug"] if debug else []) + case.args(work)
    with injector:
        result = runner.invoke(app, args)
    escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
    text = result.stdout + result.stderr
    outcome = Outcome(
        status=result.exit_code,
        stdout=result.stdout,
        stderr=result.stderr,
        fired=injector.fired,
        counts=injector.counts,
        traceback=escaped or "Traceback" in text,
    )
    after = set(os.listdir(work))
    expected = ({case.output} if case.output else set()) | set(case.also)
    outcome.stray = sorted(after - before - expected)
    outcome.stray += [p for p in listing(work) if _TEMP_NAME.search(p)]
    target = work / case.output if case.output else None
    if target is not None and target.exists():
        outcome.output = listing(target)
        outcome.partial = PARTIAL_MARKER in outcome.output or (
            reference is not None and outcome.output != reference
        )
    outcome.input_changed = fingerprint(work / "in") != before_inputs
    return outcome


def clear_outputs(work: Path) -> None:
    """Remove what a run wrote, keeping the inputs."""
    for entry in work.iterdir():
        if entry.name == "in":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
