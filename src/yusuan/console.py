"""What the commands share on the terminal: exit statuses and the progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

# 0: done, nothing fatal; 1: fatal findings (or a look-up found nothing); 2: input unreadable
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


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
