"""Fonts for share images: Noto Sans (PyPI package fontpkg-noto-sans) plus optional fallbacks.

Noto Sans covers Latin (Šimonytė, Kariņš), Greek and Cyrillic. Characters it lacks (CJK, for
example) are drawn with the first fallback font that has them: any .ttf/.otf/.ttc under
app/sharing/fonts/, then a few well-known system paths (used only when present).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SYSTEM_FALLBACKS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)


class FontMissing(RuntimeError):
    """The share-image font is not installed (pip install -r requirements.txt)."""


@lru_cache
def primary_font_path() -> Path:
    """The Noto Sans (upright, variable weight) file shipped by fontpkg-noto-sans."""
    try:
        import fontpkg_noto_sans  # noqa: PLC0415 - lazy: optional: a missing font package becomes FontMissing
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FontMissing("fontpkg-noto-sans is not installed; run `pip install -r requirements.txt`") from exc
    files = sorted(p for p in (fontpkg_noto_sans.ROOT / "files").glob("NotoSans*.ttf") if "Italic" not in p.name)
    if not files:  # pragma: no cover
        raise FontMissing(f"no Noto Sans file in {fontpkg_noto_sans.ROOT / 'files'}")
    return files[0]


@lru_cache
def font_chain() -> tuple[Path, ...]:
    """The primary font, then every fallback font that exists on this machine."""
    vendored = sorted(p for p in FONT_DIR.glob("*") if p.suffix.lower() in {".ttf", ".otf", ".ttc"})
    system = [Path(p) for p in SYSTEM_FALLBACKS if Path(p).is_file()]
    return (primary_font_path(), *vendored, *system)


@lru_cache(maxsize=64)
def load_font(path: Path, size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    """A FreeType font at size; for variable fonts the weight axis is set."""
    font = ImageFont.truetype(str(path), size)
    try:
        axes = font.get_variation_axes()
    except (OSError, AttributeError):  # not a variable font
        return font
    values = []
    for axis in axes:
        lowest, highest, default = axis["minimum"], axis["maximum"], axis["default"]
        assert (
            lowest is not None and highest is not None and default is not None
        )  # a variable font's axes have all three
        name = axis["name"].decode("ascii", "replace") if isinstance(axis["name"], bytes) else str(axis["name"])
        if name.strip().lower() in {"weight", "wght"}:
            values.append(float(min(max(weight, lowest), highest)))
        else:
            values.append(float(default))
    font.set_variation_by_axes(values)
    return font


@lru_cache(maxsize=16)
def coverage(path: Path) -> frozenset[int]:
    """The code points the font's cmap maps to a glyph (formats 4 and 12; first face of a .ttc)."""
    try:
        return frozenset(_cmap_codepoints(path.read_bytes()))
    except (OSError, struct.error, ValueError):
        return frozenset()


def _u16(data: bytes, off: int) -> int:
    return struct.unpack_from(">H", data, off)[0]


def _u32(data: bytes, off: int) -> int:
    return struct.unpack_from(">I", data, off)[0]


def _cmap_codepoints(data: bytes) -> set[int]:
    base = _u32(data, 12) if data[:4] == b"ttcf" else 0
    cmap = None
    for i in range(_u16(data, base + 4)):
        rec = base + 12 + 16 * i
        if data[rec : rec + 4] == b"cmap":
            cmap = _u32(data, rec + 8)
            break
    if cmap is None:
        raise ValueError("no cmap table")
    best: tuple[int, int] | None = None  # (rank, offset)
    for i in range(_u16(data, cmap + 2)):
        rec = cmap + 4 + 8 * i
        platform, encoding, off = _u16(data, rec), _u16(data, rec + 2), _u32(data, rec + 4)
        fmt = _u16(data, cmap + off)
        unicode = platform == 0 or (platform == 3 and encoding in (1, 10))
        if not unicode or fmt not in (4, 12):
            continue
        rank = 0 if fmt == 12 else 1
        if best is None or rank < best[0]:
            best = (rank, cmap + off)
    if best is None:
        raise ValueError("no Unicode cmap")
    sub = best[1]
    points: set[int] = set()
    if _u16(data, sub) == 12:
        for g in range(_u32(data, sub + 12)):
            start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * g)
            points.update(range(start if glyph else start + 1, end + 1))
        return points
    seg2 = _u16(data, sub + 6)
    ends, starts = sub + 14, sub + 16 + seg2
    deltas, ranges = starts + seg2, starts + 2 * seg2
    for i in range(seg2 // 2):
        end, start = _u16(data, ends + 2 * i), _u16(data, starts + 2 * i)
        delta, ro = _u16(data, deltas + 2 * i), _u16(data, ranges + 2 * i)
        for c in range(start, min(end, 0xFFFE) + 1):
            if ro == 0:
                glyph = (c + delta) & 0xFFFF
            else:
                glyph = _u16(data, ranges + 2 * i + ro + 2 * (c - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(c)
    return points


def font_for_char(ch: str) -> Path:
    """The first font in the chain that has a glyph for ch (the primary one when none has)."""
    chain = font_chain()
    cp = ord(ch)
    if ch.isspace() or cp in coverage(chain[0]):
        return chain[0]
    for path in chain[1:]:
        if cp in coverage(path):
            return path
    return chain[0]


def has_glyph(ch: str) -> bool:
    """Whether some font in the chain can draw ch (whitespace always can)."""
    if ch.isspace():
        return True
    cp = ord(ch)
    return any(cp in coverage(path) for path in font_chain())
