"""The Chinese font that PDFs are set in: found once, registered with ReportLab once.

A published PDF must carry its font: a reader without Chinese fonts shows blank boxes for a font
that is only named. ReportLab embeds (a subset of) TrueType-outline fonts only; CFF/OpenType
fonts such as Noto CJK fail. The font must also have Latin digits, or every amount disappears.

Where the font comes from, first match wins:

1. ``YUSUAN_FONT``: a path to a ``.ttf``/``.ttc`` file, optionally followed by ``:N`` for the
   face N of a collection (e.g. ``/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0``);
2. AR PL SungtiL GB (Debian ``fonts-arphic-gbsn00lp``, a 宋体; ``make system`` installs it);
3. WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``, a 黑体; face 0 of the collection);
4. ReportLab's built-in ``STSong-Light`` CID font, which is *not* embedded, with a warning.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

ENV_VAR = "YUSUAN_FONT"

# Characters a usable font must draw: digits and separators of amounts, and Chinese.
REQUIRED_CHARACTERS = "0123456789,.%<>=中国预算"

FALLBACK_NAME = "STSong-Light"

FALLBACK_WARNING = (
    "未找到可嵌入的 TrueType 中文字体：PDF 将使用 ReportLab 内置的 STSong-Light，该字体不嵌入文件，"
    "在没有中文字体的电脑上中文会显示为空白。请安装 fonts-arphic-gbsn00lp（make system）"
    "或用环境变量 YUSUAN_FONT 指定 .ttf/.ttc 字体文件。 / "
    "No embeddable TrueType Chinese font was found: the PDF uses ReportLab's built-in "
    "STSong-Light, which is not embedded, so readers without Chinese fonts show blank text. "
    "Install fonts-arphic-gbsn00lp (make system) or set YUSUAN_FONT to a .ttf/.ttc file."
)


@dataclass(frozen=True, slots=True)
class FontCandidate:
    """A TrueType font file that may be used, with what a publisher must know about it."""

    family: str
    path: Path
    subfont_index: int
    licence: str


@dataclass(frozen=True, slots=True)
class PdfFont:
    """The font registered with ReportLab: its name there, and whether PDFs embed it."""

    name: str
    family: str
    path: Path | None
    embedded: bool
    licence: str


SYSTEM_CANDIDATES = (
    FontCandidate(
        "AR PL SungtiL GB",
        Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
        0,
        "文鼎公众授权（Arphic Public License），允许嵌入与再分发 / "
        "Arphic Public License: embedding and redistribution allowed",
    ),
    FontCandidate(
        "WenQuanYi Zen Hei",
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        0,
        "GPL-2.0，附字体嵌入例外（嵌入的 PDF 不受 GPL 约束） / "
        "GPL-2.0 with the font embedding exception (embedding PDFs are not covered by the GPL)",
    ),
)

FALLBACK = PdfFont(
    FALLBACK_NAME,
    "STSong-Light (Adobe CID)",
    None,
    False,
    "Adobe 标准 CID 字体，仅按名称引用、不嵌入 / Adobe standard CID font, named, not embedded",
)


def parse_font_setting(value: str) -> tuple[Path, int]:
    """``/path/font.ttc:1`` -> (path, 1); a plain path -> (path, 0). Windows drives are kept."""
    head, sep, tail = value.rpartition(":")
    if sep and tail.isdigit() and head:
        return Path(head), int(tail)
    return Path(value), 0


def user_candidate(value: str) -> FontCandidate:
    path, index = parse_font_setting(value.strip())
    return FontCandidate(
        path.stem,
        path,
        index,
        "用户指定的字体，请自行确认其授权允许嵌入 / "
        "user-supplied font: check that its licence allows embedding",
    )


def candidates(setting: str) -> list[FontCandidate]:
    """The fonts to try, in order: the user's setting first, then the system fonts."""
    found = [user_candidate(setting)] if setting.strip() else []
    return found + list(SYSTEM_CANDIDATES)


def covers(font: TTFont, characters: str = REQUIRED_CHARACTERS) -> bool:
    """Whether the font has a glyph for every character."""
    widths = font.face.charWidths
    return all(ord(ch) in widths for ch in characters)


def registered_name(candidate: FontCandidate) -> str:
    """A ReportLab font name that is unique per file and face."""
    return f"yusuan-{candidate.path.stem}-{candidate.subfont_index}"


def load(candidate: FontCandidate) -> TTFont | None:
    """The candidate as a ReportLab TrueType font, or ``None`` if it is missing or unusable."""
    if not candidate.path.is_file():
        return None
    try:
        font = TTFont(
            registered_name(candidate),
            str(candidate.path),
            subfontIndex=candidate.subfont_index,
        )
    except Exception:  # ReportLab raises TTFError, or others on a damaged file
        return None
    return font if covers(font) else None


@cache
def _resolve(setting: str) -> PdfFont:
    for position, candidate in enumerate(candidates(setting)):
        font = load(candidate)
        if font is None:
            if position == 0 and setting.strip():
                warnings.warn(
                    f"{ENV_VAR}={setting!r}：无法使用该字体（文件不存在、不是 TrueType 轮廓，"
                    f"或缺少数字/汉字字形），改用系统字体。 / cannot use this font (missing, not "
                    f"TrueType outlines, or lacking digits or Chinese); trying the system fonts.",
                    stacklevel=3,
                )
            continue
        pdfmetrics.registerFont(font)
        return PdfFont(font.fontName, candidate.family, candidate.path, True, candidate.licence)
    warnings.warn(FALLBACK_WARNING, stacklevel=3)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK


def pdf_font() -> PdfFont:
    """The font for PDFs (registered with ReportLab on first use; later calls are free)."""
    return _resolve(os.environ.get(ENV_VAR, ""))
