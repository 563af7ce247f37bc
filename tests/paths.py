"""Paths the tests share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "linfen-2021"
SHARED = ROOT.parent / "shared"
