"""Share images: valid 1200×630 PNGs, readable layout for long quotes and non-Latin names, disk cache."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.sharing import image as share_image
from app.sharing.image import HEIGHT, WIDTH, ShareCard, layout_card, render_share_image, share_image_path

LONG = (
    "Macron's comments had already had an impact, and we should be far more practical about what "
    "Europe can actually do for Ukraine in the coming months, because the situation on the front "
    "line will not wait for our endless debates in Brussels and in every capital. "
) * 4


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _inside(card: ShareCard):
    layout = layout_card(card)
    for item in layout.items:
        x0, y0, x1, y1 = item.bbox
        assert x0 >= 0 and x1 <= WIDTH and y0 >= 0 and y1 <= HEIGHT, (item.role, item.text, item.bbox)
        if item.role != "brand":
            assert x1 <= WIDTH - share_image.MARGIN_X + 2, (item.role, item.text, item.bbox)
    return layout


def test_png_is_valid_and_1200_by_630():
    data = render_share_image(
        "There is such an option.", "Ingrida Šimonytė", "Prime minister", "Lithuania", "MENAFN", "12 May 2024"
    )
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = _open(data)
    assert img.format == "PNG" and img.size == (1200, 630)
    # not a blank canvas: the text is drawn in dark ink on the light background
    assert img.convert("L").getextrema()[0] < 60


def test_long_quote_shrinks_then_is_shortened_with_ellipsis_at_a_word_boundary():
    short = _inside(ShareCard("There is such an option.", "Ingrida Šimonytė"))
    medium = _inside(ShareCard(LONG[:300], "Gabrielius Landsbergis"))
    long = _inside(ShareCard(LONG, "Gabrielius Landsbergis", "Foreign minister", "Lithuania", "LRT", "1 May 2024"))
    assert short.quote_size > medium.quote_size >= long.quote_size
    assert not short.truncated and not medium.truncated
    assert long.truncated
    last = long.quote_lines[-1]
    assert last.endswith("…”")
    # the word before the ellipsis is a whole word of the quote
    before = last[:-2].split()[-1].strip(",.")
    assert before in LONG.split() or before + "," in LONG.split() or before + "." in LONG.split()
    shown = " ".join(long.quote_lines)
    assert shown.startswith("“Macron's comments")


def test_every_word_of_a_fitting_quote_is_shown():
    text = LONG[:300].strip()
    layout = _inside(ShareCard(text, "X"))
    assert " ".join(layout.quote_lines).replace("“", "").replace("”", "").split() == text.split()


@pytest.mark.parametrize(
    "speaker,role,country,source",
    [
        ("Ingrida Šimonytė", "Prime minister", "Lithuania", "LRT"),
        ("Krišjānis Kariņš", "Foreign minister", "Latvia", "LSM"),
        ("Владимир Зеленский", "Президент", "Украина", "Українська правда"),
        ("Κυριάκος Μητσοτάκης", "Πρωθυπουργός", "Ελλάδα", "Καθημερινή"),
        ("习近平", "国家主席", "中国", "新华社"),
        ("A" * 40 + " " + "Verylongsurname" * 8, "R" * 300, "Country " * 30, "Publisher " * 40),
    ],
)
def test_non_latin_and_overlong_names_stay_on_the_canvas(speaker, role, country, source):
    layout = _inside(ShareCard(LONG[:180], speaker, role, country, source, "3 March 2024"))
    assert {i.role for i in layout.items} >= {"brand", "quote", "speaker", "meta", "source"}
    img = _open(render_share_image(LONG[:180], speaker, role, country, source, "3 March 2024"))
    assert img.size == (1200, 630)


def test_latin_extended_greek_and_cyrillic_are_in_the_font():
    from app.sharing.typeface import coverage, primary_font_path

    cmap = coverage(primary_font_path())
    assert all(ord(c) in cmap for c in "ŠimonytėKariņšŁódźΚυριάκοςЗеленскийЇї")


def test_nothing_is_drawn_as_a_missing_glyph_box():
    from app.sharing.typeface import has_glyph

    layout = _inside(
        ShareCard(
            "我们不会允许这种情况发生。We will not 🙂 allow it.", "习近平", "国家主席", "中国", "新华社", "1 May 2024"
        )
    )
    drawn = "".join(item.text for item in layout.items) + "".join(layout.quote_lines)
    assert all(has_glyph(ch) for ch in drawn), [ch for ch in drawn if not has_glyph(ch)]
    speaker = next(i.text for i in layout.items if i.role == "speaker")
    if not has_glyph("习"):  # no CJK font on this machine: transliterated, not boxes
        assert speaker == "Xi Jin Ping"
    else:
        assert speaker == "习近平"


def test_url_like_word_wider_than_the_card_is_broken_not_overflowing():
    _inside(ShareCard("see https://example.com/" + "x" * 400, None))


def test_cache_file_changes_with_the_card_and_is_reused(tmp_path, monkeypatch):
    calls = []
    real = share_image.render_share_image

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(share_image, "render_share_image", counting)
    card = ShareCard("There is such an option.", "Ingrida Šimonytė", "Prime minister", "Lithuania", "LRT", "1 May 2024")
    first = share_image_path(card, cache_dir=tmp_path)
    assert first.parent == tmp_path / "share" and first.suffix == ".png"
    assert _open(first.read_bytes()).size == (1200, 630)
    again = share_image_path(ShareCard(*[getattr(card, f) for f in card.__dataclass_fields__]), cache_dir=tmp_path)
    assert again == first and len(calls) == 1  # same content: served from disk, not re-rendered
    renamed = share_image_path(
        ShareCard(card.quote_text, "Ingrida Šimonytė", "Former prime minister", "Lithuania", "LRT", "1 May 2024"),
        cache_dir=tmp_path,
    )
    assert renamed != first and renamed.is_file() and len(calls) == 2
    assert not list((tmp_path / "share").glob(".tmp-*"))  # written atomically, no leftovers


def test_alt_text_names_the_speaker_or_says_unknown():
    assert ShareCard("Yes.", "Ingrida Šimonytė", source="LRT").alt_text == "“Yes.” — Ingrida Šimonytė, LRT"
    assert "Unknown speaker" in ShareCard("Yes.").alt_text


def test_alt_text_keeps_the_original_script():
    assert ShareCard("我们不会允许。", "习近平").alt_text == "“我们不会允许。” — 习近平"
