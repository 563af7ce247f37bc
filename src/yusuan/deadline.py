"""A bound on how long reading one input may take, so that a malformed file cannot hang a run.

``time_limit(seconds)`` raises ``ReadTimeout`` in its block after ``seconds`` (a SIGALRM timer,
so only in the main thread of a Unix process; elsewhere, or with 0, there is no bound). A
caller's own timer (a test's guard) keeps running. ``read_seconds()`` is the bound for one
document: ``READ_SECONDS``, or ``YUSUAN_READ_SECONDS`` from the environment (0: no bound).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

READ_SECONDS = 600.0


def read_seconds() -> float:
    try:
        return float(os.environ.get("YUSUAN_READ_SECONDS", READ_SECONDS))
    except ValueError:
        return READ_SECONDS


class ReadTimeout(Exception):
    """Reading a document took longer than its bound."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``ReadTimeout`` in the block after ``seconds`` (see the module's docstring)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ReadTimeout(f"读取超过 {seconds:g} 秒 / reading took over {seconds:g} s")

    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # a caller's own timer, kept running
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
