"""Fonts, colours, page geometry, paragraph styles, and the cleaning every user text goes through before it is drawn.

Fonts: Bitstream Vera (Vera.ttf, VeraBd.ttf, VeraIt.ttf, VeraBI.ttf), which reportlab ships in `reportlab/fonts`,
so it is there wherever reportlab is installed. It is embedded (subset) in the PDF and covers all of Latin-1 plus
œ Œ € ’ ‘ “ ” « » – — … ≤ ≥ ≠ · • −. A character it lacks is never drawn as a black box: it is replaced by its closest
drawable form (a narrow no-break space by a no-break space, a non-breaking hyphen by "-", "ė" by "e"…) or by "?".

Emoji ("Compost partagé ♻️🌱"): drawn in black and white with OpenMoji (CC BY-SA 4.0), from a font made of its line art
that ships in atelier/static/fonts (see the README there), embedded like Vera. reportlab maps characters one by one,
so a sequence (a family joined by U+200D, a flag, a skin tone) shows as its parts, and variation selectors are
dropped. An emoji the font lacks, or any emoji where only Vera can draw (page footer, outline, matrix labels), is
dropped with the space it leaves: never "?", which would turn a title into a question.

Every user text goes through `_markup()`: control characters dropped, `<`, `>` and `&` escaped so that they print
literally, line breaks kept.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from atelier.exports.wording import french_date, french_datetime

FONT = "AtelierVera"
FONT_BOLD = "AtelierVera-Bold"
FONT_ITALIC = "AtelierVera-Italic"
FONT_BOLD_ITALIC = "AtelierVera-BoldItalic"
EMOJI_FONT = "AtelierEmoji"
EMOJI_FILE = Path(__file__).resolve().parents[2] / "static" / "fonts" / "OpenMoji-Mono-atelier.ttf"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FOOTER_SPACE = 8 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1f2328")
GREY = colors.HexColor("#57606a")
LIGHT = colors.HexColor("#d0d7de")
ACCENT = colors.HexColor("#0b5d3b")

SWOT_ORDER = ("Forces", "Faiblesses", "Opportunités", "Menaces")

# Characters Vera lacks but which have an obvious drawable stand-in.
_SUBSTITUTES = {
    "\u202f": "\u00a0",  # narrow no-break space (French typography before : ; ! ?)
    "\u2009": " ",  # thin space
    "\u200a": " ",
    "\u2007": "\u00a0",
    "\u2002": " ",
    "\u2003": " ",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "–",
    "\u2043": "-",
    "\u2032": "’",
    "\u2033": "”",
    "\u00ad": "",  # soft hyphen: invisible
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u25cf": "•",
    "\u25aa": "•",
    "\u25a0": "•",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2714": "v",
    "\u2713": "v",
}
# Emoji and their joiners, selectors and modifiers: dropped (never "?") when they cannot be drawn.
_EMOJI_RANGES = ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x24FF), (0x25A0, 0x27BF), (0x2900, 0x297F),
                 (0x2B00, 0x2BFF), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299), (0xFE00, 0xFE0F),
                 (0x1F000, 0x1FAFF), (0xE0000, 0xE007F), (0x200D, 0x200D), (0x20E3, 0x20E3))
_INVISIBLE = frozenset((0x200D, 0xFE0E, 0xFE0F, 0xFFFF, *range(0x1F3FB, 0x1F400)))  # joiner, selectors, skin tones
_SPACES = re.compile(r" {2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


# --------------------------------------------------------------------------------------------------- fonts, text


@lru_cache(maxsize=1)
def _fonts() -> frozenset[int]:
    """Register the Vera family once; return the code points it can draw."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    files = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}
    covered: frozenset[int] | None = None
    for name, file in files.items():
        font = TTFont(name, os.path.join(folder, file))
        pdfmetrics.registerFont(font)
        chars = frozenset(c for c in font.face.charToGlyph if c != 0xFFFF)
        covered = chars if covered is None else covered & chars
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    assert covered is not None
    return covered | {0x0A}


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with code points past U+FFFF as UTF-16 pairs as the PDF standard wants (reportlab
    writes "<1F331>", which readers refuse): an emoji then copies and extracts as itself."""
    text = _reportlab_to_unicode_cmap(fontname, subset)
    return re.sub(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>",
                  lambda m: f"<{m.group(1)}> <{_utf16_hex(int(m.group(2), 16))}>", text)


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@lru_cache(maxsize=1)
def _emoji() -> frozenset[int]:
    """Register the emoji font once; return the code points it draws that Vera does not (empty without the file)."""
    covered = _fonts()
    if not EMOJI_FILE.is_file():
        return frozenset()
    font = TTFont(EMOJI_FONT, str(EMOJI_FILE))
    pdfmetrics.registerFont(font)
    return frozenset(c for c in font.face.charToGlyph if c not in covered and c > 0x20 and c not in _INVISIBLE)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def _drawable(char: str, covered: frozenset[int], emoji: frozenset[int]) -> str:
    if ord(char) in covered:
        return char
    if char in _SUBSTITUTES:
        return _SUBSTITUTES[char]
    if ord(char) in emoji:
        return char
    if char == "\t":
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(ord(c) in covered for c in base):
        return base
    return "" if _is_emoji(char) else "?"


def _clean(text: object, *, emoji: bool = False) -> str:
    """Plain text that Vera (and with `emoji`, the emoji font) can draw: no control characters, no glyph missing,
    "\\n" for every line break; an emoji that cannot be drawn is dropped with the double space it leaves."""
    covered = _fonts()
    drawn = _emoji() if emoji else frozenset()
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    value = _CONTROL.sub("", value)
    if all(ord(c) in covered for c in value):
        return value
    cleaned = "".join(_drawable(c, covered, drawn) for c in value)
    if any(_is_emoji(c) and ord(c) not in drawn for c in value):
        cleaned = "\n".join(_SPACES.sub(" ", line).strip() for line in cleaned.split("\n"))
    return cleaned


def _markup(text: object) -> str:
    """User text as Paragraph markup: escaped, line breaks kept, each run of emoji in the emoji font."""
    value = _clean(text, emoji=True)
    emoji = _emoji()
    out = []
    for is_emoji, run in groupby(value, key=lambda c: ord(c) in emoji):
        piece = escape("".join(run)).replace("\n", "<br/>")
        out.append(f'<font name="{EMOJI_FONT}">{piece}</font>' if is_emoji else piece)
    return "".join(out)


def _colour(value: str, default: colors.Color = GREY) -> colors.Color:
    return colors.HexColor(value) if _HEX_COLOUR.fullmatch(value or "") else default


def _number(value: float) -> str:
    """4.17 -> "4,17", 4.5 -> "4,5", 4.0 -> "4"."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count}\u00a0{singular if abs(count) < 2 else (plural or singular + 's')}"


def _french_date(iso: str) -> str:
    """The date part in French; anything else is shown as it is."""
    return french_date((iso or "")[:10]) or iso or ""


def _french_datetime(iso: str) -> str:
    """A date-time in French; a bare date without "à 0 h 00"; anything else as it is."""
    if len(iso or "") <= 10:
        return _french_date(iso)
    return french_datetime(iso) or iso


def _pdf_date(iso: str) -> str:
    """"2026-11-26T21:30:00" -> "D:20261126213000" (local time of the territory, as stored); "" if unreadable."""
    try:
        moment = datetime.fromisoformat(iso or "")
    except ValueError:
        return ""
    return moment.strftime("D:%Y%m%d%H%M%S")


# --------------------------------------------------------------------------------------------------- styles


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=2,
                          bulletFontName=FONT)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY, spaceAfter=1)
    return {
        "body": body,
        "small": small,
        "swot": ParagraphStyle("swot", parent=body, fontSize=9, leading=11.5, leftIndent=9, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.8, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=9.8,
                                    spaceAfter=0, textColor=colors.white),
        "indent": ParagraphStyle("indent", parent=body, leftIndent=10),
        "indent_small": ParagraphStyle("indent_small", parent=small, leftIndent=10),
        "meta": ParagraphStyle("meta", parent=small, leftIndent=10, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=6,
                             spaceAfter=8, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=10,
                             spaceAfter=5, textColor=ACCENT),
        "action_title": ParagraphStyle("action_title", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=13.5,
                                       spaceBefore=4, spaceAfter=1),
        "cover_kicker": ParagraphStyle("cover_kicker", parent=body, fontSize=11, leading=14, textColor=GREY,
                                       alignment=TA_CENTER),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=FONT_BOLD, fontSize=30, leading=36,
                                      textColor=ACCENT, alignment=TA_CENTER, spaceAfter=14),
        "cover_territory": ParagraphStyle("cover_territory", parent=body, fontName=FONT_BOLD, fontSize=17,
                                          leading=22, alignment=TA_CENTER, spaceAfter=6),
        "cover_line": ParagraphStyle("cover_line", parent=body, fontSize=12, leading=16, alignment=TA_CENTER,
                                     spaceAfter=3),
        "empty": ParagraphStyle("empty", parent=body, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=6,
                                spaceAfter=8),
    }


def _label(label: str, value_markup: str) -> str:
    """"<b>Label</b> : value", with a no-break space before the colon as French typography wants."""
    return f"<b>{escape(label)}</b>\u00a0: {value_markup}"
