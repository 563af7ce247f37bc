"""Safe file and folder writes: nothing half-written, nothing destroyed, nothing stray.

- Atomic writes: write to a hidden temporary sibling, then rename into place.
- The temporary siblings carry yusuan's name pattern (``.<name>.yusuan-<pid>-…``) and, for
  folders, a marker file inside; a killed run's leftovers are removed by the next run that
  writes to the same place (only when the process that made them is gone).
- What is written gets ordinary permissions (``0666``/``0777`` less the umask), not the
  ``0600``/``0700`` that ``tempfile`` gives.
- A folder is replaced only when it is missing, empty or was made by yusuan (a marker file);
  a target that is a file where a folder is wanted, or the source itself, is refused.
- Inputs that are not regular files (a FIFO, a device, a folder named ``x.xlsx``) are refused
  before anything reads them, so a read can never block.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

# Marker files that say "yusuan made this folder, it may be replaced".
BUILD_MARKER = ".yusuan-build"
OUTPUT_MARKER = ".yusuan-output"
OUTPUT_MARKERS = (BUILD_MARKER, OUTPUT_MARKER)
# Inside a temporary folder while it is being written; removed before the rename.
PARTIAL_MARKER = ".yusuan-partial"
# The part of a temporary sibling's name after ".<target name>.": our pattern, with our pid.
_TEMP_TAG = "yusuan-"
_TEMP_RE = re.compile(r"yusuan-(?P<pid>\d+)-[A-Za-z0-9_]+(?:\.tmp)?")

FILE_SUFFIXES = (".xlsx", ".pdf", ".csv", ".txt", ".toml", ".json")
# Bytes a file name may take (255 on common file systems), keeping room for a suffix.
NAME_BYTES = 200


class UnsafeOutput(Exception):
    """The output would destroy something yusuan did not make, or land outside ``-o``."""


class InputNotAFile(Exception):
    """An input is not a regular file (a FIFO, a device, a folder where a file is expected)."""


# --- permissions --------------------------------------------------------------------------


def current_umask() -> int:
    """The process umask (read from /proc where possible: setting it is not thread-safe)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _ordinary_mode(path: Path, *, folder: bool) -> None:
    path.chmod((0o777 if folder else 0o666) & ~current_umask())


# --- leftovers ----------------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{_TEMP_TAG}{os.getpid()}-"


def is_our_leftover(entry: Path, target: Path) -> bool:
    """``entry`` is a temporary sibling of ``target`` that yusuan made and whose run is gone."""
    head = f".{target.name}."
    if not entry.name.startswith(head):
        return False
    match = _TEMP_RE.fullmatch(entry.name[len(head) :])
    if match is None or _process_alive(int(match["pid"])):
        return False
    if entry.is_symlink():
        return False
    if entry.is_dir():
        return (entry / PARTIAL_MARKER).is_file()
    return entry.is_file() and entry.name.endswith(".tmp")


def clean_leftovers(target: Path) -> list[Path]:
    """Remove the temporary siblings of ``target`` a killed yusuan run left; return them."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            if is_our_leftover(entry, target):
                with contextlib.suppress(OSError):
                    if entry.is_dir():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed.append(entry)
    return removed


# --- atomic writes ------------------------------------------------------------------------


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the new file, never half."""
    if path.is_dir():
        raise UnsafeOutput(
            f"输出位置是一个文件夹，应为文件：{path} / {path} is a folder, a file was expected"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _ordinary_mode(Path(tmp), folder=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` whole, on error it vanishes."""
    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(not_a_folder_message(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=target.parent))
    try:
        (tmp / PARTIAL_MARKER).write_text("yusuan: written by a run that has not finished\n")
        yield tmp
        (tmp / PARTIAL_MARKER).unlink()
        _ordinary_mode(tmp, folder=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup = None
    try:
        if target.exists():
            backup = target.with_name(f"{_temp_prefix(target)}old")
            # the marker makes the set-aside old folder a recognisable leftover if we die here
            (target / PARTIAL_MARKER).write_text("yusuan: replaced output being removed\n")
            os.replace(target, backup)
        os.replace(tmp, target)
    except BaseException:
        _put_back(backup, target)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def _put_back(backup: Path | None, target: Path) -> None:
    """After a failed swap, the old folder back in its place, as it was."""
    with contextlib.suppress(OSError):
        if backup is not None and backup.exists() and not target.exists():
            os.replace(backup, target)
        (target / PARTIAL_MARKER).unlink(missing_ok=True)


# --- what may be replaced -----------------------------------------------------------------


def not_a_folder_message(target: Path) -> str:
    return (
        f"输出位置已存在且是一个文件，不是文件夹：{target}（请换一个文件夹名）/ "
        f"{target} exists and is a file, not a folder"
    )


def made_by_yusuan(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in OUTPUT_MARKERS)


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_replaceable_folder(target: Path, *, sources: tuple[Path, ...] = ()) -> None:
    """Raise ``UnsafeOutput`` unless ``target`` may be replaced by a new folder: it is missing,
    empty or made by yusuan, and it is not (and does not hold) an input."""
    _check_not_an_input(target, sources)
    if not target.exists():
        return
    if not target.is_dir():
        raise UnsafeOutput(not_a_folder_message(target))
    if any(target.iterdir()) and not made_by_yusuan(target):
        raise UnsafeOutput(
            f"输出文件夹已存在且不是 yusuan 生成的：{target}（请换一个空文件夹）/ "
            f"{target} exists, is not empty and was not made by yusuan"
        )


def check_new_file(target: Path, *, sources: tuple[Path, ...] = ()) -> None:
    """Raise ``UnsafeOutput`` when writing the file ``target`` would destroy something: it
    exists (yusuan cannot tell it made it), is a folder, or is an input."""
    _check_not_an_input(target, sources)
    if target.is_dir():
        raise UnsafeOutput(
            f"输出位置是一个文件夹，应为文件：{target} / {target} is a folder, a file was expected"
        )
    if target.exists():
        raise UnsafeOutput(
            f"输出文件已存在：{target}（yusuan 不覆盖它没有生成的文件，请先删除或换一个名字）/ "
            f"{target} already exists; yusuan does not overwrite a file it cannot tell it made"
        )


def _check_not_an_input(target: Path, sources: tuple[Path, ...]) -> None:
    """Replacing ``target`` must not remove an input: it is not an input, nor holds one."""
    resolved = target.resolve()
    for source in sources:
        if _within(source.resolve(), resolved):
            raise UnsafeOutput(
                f"输出位置与输入重叠：{target} 与 {source}（请写到别处）/ "
                f"the output {target} overlaps the input {source}"
            )


def mark_output(folder: Path) -> None:
    """Say that ``folder`` is yusuan's output, so that a later run may replace it."""
    (folder / OUTPUT_MARKER).write_text("yusuan output; may be replaced by yusuan\n", "utf-8")


@contextlib.contextmanager
def marked_folder(target: Path) -> Iterator[Path]:
    """Replace ``target`` atomically with a folder marked as yusuan's output. Yields a path,
    not yet existing, for a writer that makes its own folder (``save_dataset``); what it
    writes there becomes the content of ``target``, with the marker, in one rename."""
    with atomic_directory(target) as tmp:
        inner = tmp / ".yusuan-content"
        yield inner
        for entry in inner.iterdir():
            os.replace(entry, tmp / entry.name)
        inner.rmdir()
        mark_output(tmp)


def check_output(target: Path, *, as_file: bool, sources: tuple[Path, ...] = ()) -> None:
    """``check_new_file`` or ``check_replaceable_folder``, as the output is a file or a folder."""
    if as_file:
        check_new_file(target, sources=sources)
    else:
        check_replaceable_folder(target, sources=sources)


# --- names --------------------------------------------------------------------------------

_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def safe_file_name(name: str, *, max_bytes: int = NAME_BYTES) -> str:
    """``name`` made usable as one file name in one folder: no path separators, control or
    reserved characters, no leading dots (``..`` climbs, ``.x`` hides), at most ``max_bytes``
    bytes of UTF-8 (cut at a character). Empty becomes ``_``."""
    cleaned = _UNSAFE_CHARS.sub("_", unicodedata.normalize("NFC", name))
    cleaned = cleaned.strip().lstrip(".").strip()
    encoded = cleaned.encode("utf-8")
    if len(encoded) > max_bytes:
        cleaned = encoded[:max_bytes].decode("utf-8", errors="ignore")
    return cleaned or "_"


# --- inputs -------------------------------------------------------------------------------


def check_input_file(path: Path) -> None:
    """Raise ``InputNotAFile`` when ``path`` exists but reading it as a file could block or
    make no sense: a FIFO, socket or device, or a folder named like a file (``x.xlsx``)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as failure:
        if failure.errno in (errno.ELOOP, errno.ENAMETOOLONG):
            raise InputNotAFile(
                f"无法读取：{path}（{failure.strerror}）/ cannot read {path}: {failure.strerror}"
            ) from failure
        raise
    if stat.S_ISDIR(mode):
        if path.suffix.lower() in FILE_SUFFIXES:
            raise InputNotAFile(
                f"应为文件，却是文件夹：{path} / {path} is a folder, a file was expected"
            )
        return
    if not stat.S_ISREG(mode):
        raise InputNotAFile(
            f"不是普通文件（管道、设备等），拒绝读取：{path} / "
            f"{path} is not a regular file (a pipe, device or socket); refused"
        )


def check_input_tree(path: Path) -> None:
    """``check_input_file`` for ``path`` and, when it is a folder, for the files in it that a
    reader may open (a dataset folder's manifest, CSV and texts)."""
    check_input_file(path)
    if path.is_dir():
        for entry in sorted(path.iterdir()):
            if entry.suffix.lower() in (*FILE_SUFFIXES, ".md"):
                check_input_file(entry)
