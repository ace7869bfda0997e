"""Share images: a 1200×630 PNG card per quote (Pillow), cached on disk under a hash of its content."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
from anyascii import anyascii
from PIL import Image, ImageDraw

from app.config import get_settings
from app.models import Article, Person
from app.sharing.citation import format_date, quote_date
from app.sharing.speech import speech_of
from app.sharing.typeface import font_for_char, has_glyph, load_font
from app.sharing.words import quote_words

if TYPE_CHECKING:  # pragma: no cover
    from sqlmodel import Session

    from app.models import Quote

RENDERER_VERSION = "2"  # 2: reported speech drawn without quote marks, with a "Paraphrase" label
WIDTH, HEIGHT = 1200, 630
MARGIN_X = 80
QUOTE_TOP, QUOTE_BOTTOM = 118, 440
QUOTE_SIZES = (64, 58, 52, 47, 43, 40, 37)
LINE_SPACING = 1.24
QUOTE_WEIGHT = 500
ELLIPSIS = "…"
PARAPHRASE_LABEL = "PARAPHRASE"
_RENDER_LOCK = threading.Lock()  # FreeType faces are shared between requests; render one card at a time

PAPER = (250, 247, 241)
INK = (28, 28, 30)
MUTED = (92, 92, 98)
ACCENT = (200, 16, 46)
RULE = (222, 216, 206)

_CJK = "\u2e80-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_SYLLABLE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_UNIT = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_TRAILING_PUNCT = ",;:–—-([{“‘\"'«„ "


@dataclass(frozen=True)
class ShareCard:
    """What a share image shows; its hash names the cached file."""

    quote_text: str
    speaker: str | None = None
    role: str | None = None
    country_name: str | None = None
    source: str | None = None
    date_text: str | None = None
    paraphrase: bool = False  # reported speech: drawn as written ("X said that …"), no marks added, labelled

    def content_hash(self) -> str:
        """sha256 of the card content plus the renderer version."""
        payload = json.dumps({"v": RENDERER_VERSION, **asdict(self)}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def alt_text(self) -> str:
        """Alternative text for og:image:alt."""
        who = _plain(self.speaker) or "Unknown speaker"
        text = _plain(self.quote_text) if not self.paraphrase else re.sub(r"\s+", " ", self.quote_text).strip()
        if len(text) > 280:
            text = _cut_words(text, 280) + ELLIPSIS
        if self.paraphrase:
            return f"Paraphrase: {text}" + (f" ({self.source})" if self.source else "")
        return f"“{text}” — {who}" + (f", {self.source}" if self.source else "")


@dataclass
class DrawnText:
    """One piece of text placed on the canvas, with its measured bounding box."""

    role: str  # brand | quote | speaker | meta | source
    text: str
    bbox: tuple[int, int, int, int]


@dataclass
class CardLayout:
    """The result of laying out a card: what was drawn where, and the quote font size."""

    image: Image.Image
    quote_size: int
    quote_lines: list[str]
    truncated: bool
    items: list[DrawnText] = field(default_factory=list)


def _plain(text: str | None) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text.strip('"“”„«»‘’‚‹› ').strip()


def _clean(text: str | None) -> str:
    """Whitespace collapsed, outer quote marks stripped, only drawable characters."""
    return _plain(displayable(_plain(text)))


def displayable(text: str) -> str:
    """text with characters no installed font can draw transliterated (习近平 → Xi Jin Ping) or dropped.

    With a CJK font on the machine (see app.sharing.typeface) the original characters are kept.
    """
    if all(has_glyph(ch) for ch in text):
        return text

    segments: list[tuple[bool, str]] = []  # (drawable, text); each Han/Hangul syllable on its own
    for ch in text:
        ok = has_glyph(ch)
        same_kind = bool(segments) and segments[-1][0] == ok
        if same_kind and (ok or not (_SYLLABLE.match(ch) or _SYLLABLE.match(segments[-1][1][-1]))):
            segments[-1] = (ok, segments[-1][1] + ch)
        else:
            segments.append((ok, ch))
    out, prev_ok = "", True
    for ok, seg in segments:
        piece = seg if ok else re.sub(r":[a-z0-9_+-]+:", "", anyascii(seg))
        if not piece:
            continue
        if out and piece[0].isalnum() and (out[-1].isalnum() or (not prev_ok and out[-1] in ":;,.!?")):
            out += " "
        out += piece
        prev_ok = ok
    return re.sub(r" {2,}", " ", out)


def _cut_words(text: str, limit: int) -> str:
    cut = text[:limit]
    if " " in cut and len(text) > limit:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(_TRAILING_PUNCT)


def _runs(text: str) -> list[tuple[str, Any]]:
    """Split text into runs drawn with one font file each (fallback for uncovered characters)."""
    runs: list[tuple[str, Any]] = []
    for ch in text:
        path = runs[-1][1] if runs and (ch.isspace() or _is_mark(ch)) else font_for_char(ch)
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + ch, path)
        else:
            runs.append((ch, path))
    return runs


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=8192)
def text_width(text: str, size: int, weight: int = 400) -> float:
    """The advance width of text at size, across fallback fonts."""
    return sum(load_font(path, size, weight).getlength(run) for run, path in _runs(text))


def _draw_line(
    draw: ImageDraw.ImageDraw, x: float, baseline: float, text: str, size: int, weight: int, fill
) -> tuple[int, int, int, int]:
    """Draw text with its baseline at `baseline`; return the union of the inked boxes."""
    box: list[float] = [10**9, 10**9, -(10**9), -(10**9)]
    for run, path in _runs(text):
        font = load_font(path, size, weight)
        if run.strip():
            draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
            b = draw.textbbox((x, baseline), run, font=font, anchor="ls")
            box = [min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])]
        x += font.getlength(run)
    if box[0] > box[2]:
        return (int(x), int(baseline), int(x), int(baseline))
    return tuple(int(v) for v in box)  # type: ignore[return-value]


def wrap(text: str, size: int, max_width: float, weight: int = 400) -> list[str]:
    """Greedy line breaking by measured width: at spaces, between CJK characters, inside over-long words.

    Widths are added up word by word and measured exactly only near the limit (kerning, shaping).
    """
    lines: list[str] = []
    cur, cur_w = "", 0.0
    space = text_width(" ", size, weight)
    pos = 0
    for m in _UNIT.finditer(text):
        unit = m.group()
        spaced = m.start() > pos and bool(cur)
        pos = m.end()
        unit_w = text_width(unit, size, weight)
        candidate = f"{cur} {unit}" if spaced else cur + unit
        estimate = cur_w + (space if spaced else 0.0) + unit_w
        if estimate <= max_width * 0.97 or (
            estimate <= max_width * 1.03 and text_width(candidate, size, weight) <= max_width
        ):
            cur, cur_w = candidate, estimate
            continue
        if cur:
            lines.append(cur)
            cur, cur_w = "", 0.0
        if unit_w <= max_width:
            cur, cur_w = unit, unit_w
            continue
        rest = unit  # a word wider than the line (a URL): break anywhere
        while text_width(rest, size, weight) > max_width:
            k = max(1, _longest(len(rest), lambda k, rest=rest: text_width(rest[:k], size, weight) <= max_width))
            lines.append(rest[:k])
            rest = rest[k:]
        cur, cur_w = rest, text_width(rest, size, weight)
    if cur:
        lines.append(cur)
    return lines


def _longest(n: int, fits) -> int:
    """The largest k in [0, n] with fits(k) true, assuming fits is monotone (true, …, true, false, …)."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _fit_line(text: str, size: int, max_width: float, weight: int = 400, force_ellipsis: bool = False) -> str:
    """text on one line; when too wide (or forced), cut at a word boundary and end with an ellipsis."""
    if not force_ellipsis and text_width(text, size, weight) <= max_width:
        return text
    ends = [m.end() for m in _UNIT.finditer(text)]
    if not force_ellipsis:
        ends = ends[:-1]

    def head(n: int) -> str:
        return text[: ends[n - 1]].rstrip(_TRAILING_PUNCT)

    n = _longest(len(ends), lambda k: k == 0 or text_width(head(k) + ELLIPSIS, size, weight) <= max_width)
    if n and head(n):
        return head(n) + ELLIPSIS
    # a single over-long word: cut by characters
    k = _longest(len(text), lambda k: text_width(text[:k] + ELLIPSIS, size, weight) <= max_width)
    return text[:k] + ELLIPSIS


def layout_quote(quote: str, max_width: float, max_height: float, marks: bool = True) -> tuple[int, list[str], bool]:
    """(font size, lines, truncated): the largest size at which the quote fits, else the smallest, shortened.

    marks=False (reported speech) draws the text as it is, without quote marks around it.
    """
    base = QUOTE_SIZES[0]
    opening, closing = ("“", "”") if marks else ("", "")
    total = text_width(f"{opening}{quote}{closing}", base, QUOTE_WEIGHT)
    for size in QUOTE_SIZES:
        line_h = size * LINE_SPACING
        max_lines = max(1, int(max_height // line_h))
        if total * size / base > max_lines * max_width * 1.02:  # cannot fit even with no ragged edge
            continue
        lines = wrap(f"{opening}{quote}{closing}", size, max_width, QUOTE_WEIGHT)
        if len(lines) <= max_lines:
            return size, lines, False
    size = QUOTE_SIZES[-1]
    max_lines = max(1, int(max_height // (size * LINE_SPACING)))
    lines = wrap(f"{opening}{quote}", size, max_width, QUOTE_WEIGHT)[:max_lines]
    room = max_width - (text_width(closing, size, QUOTE_WEIGHT) if closing else 0)
    lines[-1] = _fit_line(lines[-1], size, room, QUOTE_WEIGHT, force_ellipsis=True) + closing
    return size, lines, True


def layout_card(card: ShareCard) -> CardLayout:
    """Draw the card and record every text box (used by tests to prove nothing leaves the canvas)."""
    img = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(img)
    items: list[DrawnText] = []
    inner = WIDTH - 2 * MARGIN_X

    draw.rectangle((0, 0, 14, HEIGHT), fill=ACCENT)
    items.append(DrawnText("brand", "Whosaid", _draw_line(draw, MARGIN_X, 78, "Whosaid", 32, 800, ACCENT)))
    if card.paraphrase:
        label_x = WIDTH - MARGIN_X - text_width(PARAPHRASE_LABEL, 26, 700)
        items.append(
            DrawnText("label", PARAPHRASE_LABEL, _draw_line(draw, label_x, 76, PARAPHRASE_LABEL, 26, 700, MUTED))
        )

    if card.paraphrase:  # the reporter's sentence as written: keep its inner marks, add none
        quote = re.sub(r"\s+", " ", displayable(card.quote_text or "")).strip() or "…"
    else:
        quote = _clean(card.quote_text) or "…"
    size, lines, truncated = layout_quote(quote, inner, QUOTE_BOTTOM - QUOTE_TOP, marks=not card.paraphrase)
    line_h = size * LINE_SPACING
    block_h = line_h * len(lines)
    top = QUOTE_TOP + max(0.0, (QUOTE_BOTTOM - QUOTE_TOP - block_h) / 2)
    for i, line in enumerate(lines):
        baseline = top + i * line_h + size * 0.95
        items.append(DrawnText("quote", line, _draw_line(draw, MARGIN_X, baseline, line, size, QUOTE_WEIGHT, INK)))

    draw.line((MARGIN_X, 466, WIDTH - MARGIN_X, 466), fill=RULE, width=2)
    speaker = _clean(card.speaker) or "Unknown speaker"
    y = 514
    items.append(
        DrawnText("speaker", speaker, _draw_line(draw, MARGIN_X, y, _fit_line(speaker, 38, inner, 700), 38, 700, INK))
    )
    meta = ", ".join(p for p in (_clean(card.role), _clean(card.country_name)) if p)
    y += 44
    if meta:
        items.append(DrawnText("meta", meta, _draw_line(draw, MARGIN_X, y, _fit_line(meta, 27, inner), 27, 400, MUTED)))
        y += 40
    source = " · ".join(p for p in (_clean(card.source), _clean(card.date_text)) if p)
    if source:
        date = _clean(card.date_text)
        src = _clean(card.source)
        if src and date:  # keep the date whole; shorten the source name
            date_w = text_width(" · " + date, 24)
            source = _fit_line(src, 24, inner - date_w) + " · " + date
        items.append(
            DrawnText("source", source, _draw_line(draw, MARGIN_X, y, _fit_line(source, 24, inner), 24, 400, MUTED))
        )
    return CardLayout(img, size, lines, truncated, items)


def render_share_image(
    quote_text: str | ShareCard,
    speaker: str | None = None,
    role: str | None = None,
    country_name: str | None = None,
    source: str | None = None,
    date_text: str | None = None,
) -> bytes:
    """The PNG bytes (1200×630) of a share card (a ShareCard, or its fields)."""
    card = (
        quote_text
        if isinstance(quote_text, ShareCard)
        else ShareCard(quote_text, speaker, role, country_name, source, date_text)
    )
    buf = io.BytesIO()
    with _RENDER_LOCK:
        image = layout_card(card).image
    image.save(buf, format="PNG")
    return buf.getvalue()


def country_name(code: str | None) -> str | None:
    """A readable country name for an ISO 3166-1 alpha-2 code (the code itself if unknown)."""
    if not code:
        return None

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code.upper()
    return getattr(country, "common_name", None) or country.name


def date_text(value) -> str | None:
    """12 May 2024."""
    if value is None:
        return None
    return f"{value.day} {value:%B %Y}"


def card_for_quote(session: Session, quote: Quote) -> ShareCard:
    """The share card of a quote: its speaker (after merges), role, country, source and date."""
    person = session.get(Person, quote.person_id) if quote.person_id else None
    seen: set[int | None] = set()
    while person is not None and person.merged_into_id and person.id not in seen:
        seen.add(person.id)
        person = session.get(Person, person.merged_into_id) or person
    article = session.get(Article, quote.article_id)
    role = None
    if person is not None:
        role = person.role or person.organisation
        if person.role and person.organisation and person.organisation.lower() not in person.role.lower():
            role = f"{person.role}, {person.organisation}"
    source = None
    if article is not None:
        source = article.publisher or article.title or None
    when = quote_date(quote, article)
    words = speech_of(quote, person, article)
    return ShareCard(
        quote_text=words.line() if words.paraphrase else quote_words(quote.text, quote.kind),
        speaker=person.name if person is not None else None,
        role=role,
        country_name=country_name(person.country) if person is not None else None,
        source=source,
        date_text=format_date(when) or "undated",
        paraphrase=words.paraphrase,
    )


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """Folder of cached share images: <cache_dir>/share."""
    if cache_dir is None:
        cache_dir = get_settings().cache_dir
    return Path(cache_dir) / "share"


def share_image_path(
    card: ShareCard | Session, quote: Quote | None = None, *, cache_dir: str | os.PathLike | None = None
) -> Path:
    """The cached PNG for a card (or for `session, quote`), rendered and written atomically on first use."""
    if not isinstance(card, ShareCard):
        if quote is None:
            raise TypeError("share_image_path(session, quote) needs the quote")
        card = card_for_quote(card, quote)
    root = cache_root(cache_dir)
    path = root / f"{card.content_hash()}.png"
    if path.is_file():
        return path
    root.mkdir(parents=True, exist_ok=True)
    data = render_share_image(card)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".tmp-", suffix=".png")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
