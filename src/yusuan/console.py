"""What the commands share on the terminal: exit statuses, failure messages, the progress bar.

Every command ends with one of four statuses (README "Exit status"):

- 0 done, nothing fatal;
- 1 fatal findings (``check``, ``build``, ``audit``) or a look-up that found nothing;
- 2 an input, usage or environment problem: a located message in Chinese and English (a file
  that cannot be read or written, a full or read-only disk, an unknown rule id …);
- 3 an internal error: one line naming the command and what failed; the traceback only with
  ``yusuan --debug``.

Ctrl-C ends a command with 130, as a shell reports an interrupted program.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

EXIT_STATUS_HELP = (
    "退出码 / exit status: 0 成功 ok; 1 有致命问题或查无结果 fatal findings / nothing found; "
    "2 输入、用法或磁盘问题 input, usage or disk problem; 3 内部错误 internal error "
    "(--debug 显示详情 shows the traceback)."
)


class InputError(Exception):
    """A problem with what the user gave (exit 2); the message names where, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


# errno -> what it means, for a user who can do something about it (exit 2)
_OS_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EEXIST: "已存在",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EMFILE: "打开的文件过多",
    errno.EIO: "读写错误",
    errno.ELOOP: "符号链接循环",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EFBIG: "文件过大",
}


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def os_error_message(command: str, failure: OSError) -> str | None:
    """The located message for a file-system failure the user can act on, else None."""
    if failure.errno not in _OS_REASONS:
        return None
    where = failure.filename if failure.filename is not None else ""
    if failure.filename2 is not None:
        where = f"{where} → {failure.filename2}"
    reason_en = failure.strerror or errno.errorcode.get(failure.errno or 0, "error")
    return _one_line(
        f"yusuan {command}：无法读写 {where}：{_OS_REASONS[failure.errno]} / "
        f"cannot read or write {where or 'a file'}: {reason_en}"
    )


def internal_error_message(command: str, failure: BaseException) -> str:
    """One line for an internal error: the command, what failed, where to look next."""
    detail = _one_line(f"{type(failure).__name__}: {failure}", 200)
    return (
        f"yusuan {command}：内部错误 / internal error: {detail}"
        "（加 --debug 查看详情 / run `yusuan --debug …` for the traceback）"
    )


def progress_bar(console: Console) -> Progress:
    """A transient progress bar (description, bar, n/total, elapsed) on ``console``."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
