"""Comparing printed names with the catalogue's: one normalisation for every rule.

Printed names differ from the official ones in ways that do not make them wrong: full- or
half-width punctuation, spaces, and the ordinal a summary table puts in front (一、, 1., （一）).
"""

from __future__ import annotations

import re
import unicodedata

_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])"
)


def normalise_name(text: str) -> str:
    """NFKC, no whitespace, no leading ordinal."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return _ORDINAL.sub("", folded)
