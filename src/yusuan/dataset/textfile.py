"""Reading a dataset's text files (CSV, yusuan.toml): regular files only, UTF-8 or GB18030.

What WPS and Excel save on Chinese Windows is GBK, which GB18030 contains. Detection is strict:
UTF-8 (with or without BOM) first, then GB18030; a file that is UTF-8 with a damaged byte is
reported at that byte, not reread as GB18030 (which would turn its Chinese into other Chinese).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from yusuan.dataset.problems import Notice, Problem

UTF8 = "UTF-8"
GB18030 = "GB18030"


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text and the encoding it was read in."""

    text: str
    encoding: str


def present(path: Path) -> bool:
    """Present in the folder, whatever it is (a broken link or a FIFO is read, and refused)."""
    return path.exists() or path.is_symlink()


def regular_file_problem(path: Path, label: str) -> Problem | None:
    """``None`` for a regular file; else why it cannot be read (missing, a FIFO, a device).

    Checking the kind first means a FIFO or ``/dev/zero`` is refused instead of blocking forever.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return _os_problem(label, exc)
    if not stat.S_ISREG(mode):
        return Problem(
            "not-a-file",
            label,
            0,
            "",
            "不是普通文件（是文件夹、管道或设备），无法读取",
            "not a regular file (a folder, pipe or device); it cannot be read",
        )
    return None


def read_regular_file(path: Path, label: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file, or the problem that stops reading it."""
    problem = regular_file_problem(path, label)
    if problem is not None:
        return None, [problem]
    try:
        return path.read_bytes(), []
    except OSError as exc:
        return None, [_os_problem(label, exc)]


def _os_problem(label: str, exc: OSError) -> Problem:
    if isinstance(exc, FileNotFoundError):
        return Problem("missing-file", label, 0, "", "文件不存在", "the file does not exist")
    if isinstance(exc, PermissionError):
        return Problem(
            "unreadable",
            label,
            0,
            "",
            "文件存在但没有读取权限",
            "the file exists but cannot be read (permission denied)",
        )
    reason = exc.strerror or type(exc).__name__
    return Problem(
        "unreadable", label, 0, "", f"无法读取文件：{reason}", f"cannot read the file: {reason}"
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_like_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8: a UTF-8 file with some damage."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - damaged
    return valid >= 4 * damaged


def decode_text(data: bytes, label: str) -> tuple[DecodedText | None, list[Problem], list[Notice]]:
    """Decode a dataset text file: UTF-8 (BOM optional), else GB18030 with a notice."""
    try:
        return DecodedText(data.decode("utf-8-sig"), UTF8), [], []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_utf8(data):
        return None, [_decode_problem(data, label, utf8_error, UTF8)], []
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        return None, [_decode_problem(data, label, exc, f"{UTF8} / {GB18030}")], []
    notice = Notice(
        label,
        "文件不是 UTF-8 编码，已按 GB18030（GBK）读取",
        "the file is not UTF-8; it was read as GB18030 (GBK)",
    )
    return DecodedText(text, GB18030), [], [notice]


def _decode_problem(data: bytes, label: str, exc: UnicodeDecodeError, tried: str) -> Problem:
    line = _line_of(data, exc.start)
    return Problem(
        "encoding",
        label,
        line,
        "",
        f"第{exc.start + 1}字节无法按 {tried} 解码；请另存为“CSV UTF-8”（或 UTF-8 文本）",
        f"byte {exc.start + 1} cannot be decoded as {tried}; save the file as CSV UTF-8",
    )


def read_text_file(
    path: Path, label: str
) -> tuple[DecodedText | None, list[Problem], list[Notice]]:
    """Read and decode one text file of a dataset."""
    data, problems = read_regular_file(path, label)
    if data is None:
        return None, problems, []
    return decode_text(data, label)
