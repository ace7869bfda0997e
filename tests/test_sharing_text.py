"""Text-fragment links to the source, plain-text citations and embeddable HTML."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from urllib.parse import unquote

from app.sharing.citation import attribution, citation, embed_html, interviewer
from app.sharing.fragment import text_fragment_url

ARTICLE = (
    "Vilnius, 12 May 2024\n"
    "Šimonytė replied: “There is such an option.” Asked again, she said “yes” and, later, “yes” once more.\n"
    "“Ready – and NATO, the EU & Kyiv know it,” the prime minister said.\n"
    "Landsbergis said: “Macron's comments had already had an impact on the debate, and we should now be more "
    "practical about what Europe can do for Ukraine this year.”\n"
)


def _directive(url: str) -> str:
    assert "#" in url and ":~:text=" in url, url
    return url.split(":~:text=", 1)[1]


def _match(text: str, directive: str) -> tuple[int, int] | None:
    """A small reference matcher for `prefix-,start,end,-suffix` (first match, case-insensitive)."""
    raw = directive.split(",")
    assert all(re.fullmatch(r"[A-Za-z0-9%_.~\-]*", t) for t in raw), raw  # only unreserved chars + escapes
    terms = [unquote(t) for t in raw]
    prefix = terms.pop(0)[:-1] if raw[0].endswith("-") else None
    suffix = terms.pop()[1:] if raw[-1].startswith("-") else None

    def pat(term: str) -> str:
        return r"\s+".join(re.escape(w) for w in term.split())

    body = pat(terms[0]) + (r".*?" + pat(terms[1]) if len(terms) > 1 else "")
    pattern = (pat(prefix) + r"\s*" if prefix else "") + f"({body})" + (r"\s*" + pat(suffix) if suffix else "")
    m = re.search(pattern, text, re.IGNORECASE | re.DOTALL)
    return m.span(1) if m else None


def test_fragment_for_a_quote_strips_quote_marks_and_finds_it():
    start = ARTICLE.index("“There")
    end = ARTICLE.index("option.”") + len("option.”")
    url = text_fragment_url("https://news.example/a?id=1", ARTICLE, start, end)
    assert url.startswith("https://news.example/a?id=1#:~:text=")
    assert _match(ARTICLE, _directive(url)) == (start + 1, end - 1)
    assert "%E2%80%9C" not in _directive(url).split(",")[0]  # the opening quote mark is not part of it


def test_dash_comma_and_ampersand_are_percent_encoded():
    start = ARTICLE.index("Ready –")
    end = ARTICLE.index("know it") + len("know it")
    directive = _directive(text_fragment_url("https://news.example/b", ARTICLE, start, end))
    for ch, code in (("–", "%E2%80%93"), (",", "%2C"), ("&", "%26")):
        assert code in directive, (ch, directive)
    assert "&" not in directive and " " not in directive
    assert _match(ARTICLE, directive) == (start, end)


def test_ascii_hyphen_is_encoded_so_it_is_not_read_as_prefix_or_suffix():
    text = "The so-called peace plan, she said, is a non-starter for Kyiv and for everyone in the region."
    start, end = text.index("so-called"), text.index("region") + len("region")
    directive = _directive(text_fragment_url("https://x.example/", text, start, end))
    assert "-" not in directive.replace("%2D", "")  # no bare '-', so no accidental prefix/suffix
    assert _match(text, directive) == (start, end)


def test_short_ambiguous_quote_gets_prefix_and_suffix_that_pick_the_right_one():
    second = ARTICLE.index("“yes”", ARTICLE.index("“yes”") + 1) + 1
    url = text_fragment_url("https://news.example/c", ARTICLE, second, second + 3)
    directive = _directive(url)
    assert directive.split(",")[0].endswith("-") and directive.split(",")[-1].startswith("-")
    assert _match(ARTICLE, directive) == (second, second + 3)
    first = ARTICLE.index("“yes”") + 1
    assert _match(ARTICLE, _directive(text_fragment_url("https://news.example/c", ARTICLE, first, first + 3))) == (
        first,
        first + 3,
    )


def test_long_quote_uses_start_and_end_words():
    start = ARTICLE.index("Macron's")
    end = ARTICLE.index("this year.") + len("this year.")
    directive = _directive(text_fragment_url("https://news.example/d", ARTICLE, start, end))
    terms = [unquote(t) for t in directive.split(",")]
    assert len(terms) == 2 and terms[0].startswith("Macron") and terms[1].endswith("this year.")
    assert len(" ".join(terms)) < (end - start) / 2
    assert _match(ARTICLE, directive) == (start, end)


def test_existing_fragment_is_kept_and_old_directive_replaced():
    start = ARTICLE.index("There")
    url = text_fragment_url("https://news.example/e#comments:~:text=old", ARTICLE, start, start + 23)
    assert url.startswith("https://news.example/e#comments:~:text=") and "old" not in url
    assert url.count("#") == 1
    assert text_fragment_url("https://news.example/f", ARTICLE, 5, 5) == "https://news.example/f"


def test_citation_with_every_part_and_with_parts_missing():
    text = "“There is such an option.”"
    assert citation(
        "Ingrida Šimonytė",
        "prime minister of Lithuania",
        "LRT",
        dt.date(2024, 5, 12),
        text,
        url="https://lrt.example/a",
    ) == (
        "“There is such an option.” — Ingrida Šimonytė, prime minister of "
        "Lithuania, as reported by LRT, 12 May 2024, https://lrt.example/a"
    )
    assert (
        citation("Ingrida Šimonytė", None, None, None, text) == "“There is such an option.” — Ingrida Šimonytė, undated"
    )
    unknown = citation(None, "prime minister", "LRT", "2024-05-12", text)
    assert unknown.endswith("— Unknown speaker, as reported by LRT, 12 May 2024")
    assert "prime minister" not in unknown  # a role without a name would suggest a speaker
    assert citation("A", None, None, None, 'He called it "a trap".').startswith("“He called it ‘a trap’.” — A")


def test_attribution_names_the_publisher_the_date_and_the_link():
    assert (
        attribution("Jens Stoltenberg", "secretary-general", "MENAFN", dt.date(2024, 5, 12), "https://menafn.example/1")
        == "Jens Stoltenberg, secretary-general, as reported by MENAFN, 12 May 2024, https://menafn.example/1"
    )


def test_attribution_says_told_only_for_the_named_interviewer():
    assert (
        attribution("Emmanuel Macron", "president", "Le Monde", dt.date(2024, 5, 2), told="The Economist")
        == "Emmanuel Macron, president, told The Economist, as reported by Le Monde, 2 May 2024"
    )
    assert (
        attribution("Emmanuel Macron", None, "The Economist", None, told="The Economist")
        == "Emmanuel Macron, told The Economist, undated"
    )


def test_undated_attribution_still_names_its_source():
    assert (
        attribution("Ann Roe", None, "MENAFN", None, "javascript:alert(1)") == "Ann Roe, as reported by MENAFN, undated"
    )
    assert (
        attribution("Ann Roe", None, None, None, title="Lithuania Backs Training")
        == "Ann Roe, as reported in “Lithuania Backs Training”, undated"
    )


def test_embed_html_escapes_everything_and_keeps_script_inert():
    html = embed_html(
        "<script>alert(1)</script> & more",
        "Eve <img src=x onerror=alert(1)>",
        "role\"'",
        "Title </blockquote><script>",
        "Pub & Co",
        dt.date(2024, 5, 12),
        'https://whosaid.example/q/abc?x=1&y="2"',
    )
    assert "<script" not in html and "<img" not in html and "</blockquote><" not in html
    root = ET.fromstring(html)  # well-formed: one blockquote
    assert root.tag == "blockquote" and root.get("class") == "whosaid-quote"
    assert root.get("cite") == 'https://whosaid.example/q/abc?x=1&y="2"'
    assert "<script>alert(1)</script> & more" in "".join(root.itertext())
    link = root.find(".//a")
    assert link is not None and link.get("href") == root.get("cite")
    assert root.find(".//time").get("datetime") == "2024-05-12"


def test_embed_html_drops_a_javascript_permalink():
    html = embed_html("Yes.", "A", None, None, None, None, "javascript:alert(1)")
    assert "javascript" not in html and "<a " not in html
    assert "Unknown speaker" in embed_html("Yes.", None, None, None, None, None, "https://w.example/q/1")


def test_end_words_repeated_inside_a_long_quote_do_not_cut_it_short():
    text = (
        "Intro.\nShe said: “We need more weapons. We need more weapons now, not later. "
        "And we need more weapons.” The end.\n"
    )
    start = text.index("We need")
    end = text.index("more weapons.”") + len("more weapons.")
    assert _match(text, _directive(text_fragment_url("https://x.example/", text, start, end))) == (start, end)


def test_every_sentence_and_paragraph_pair_of_the_samples_is_found(seed_texts):
    assert seed_texts, "the sample articles are missing from seeds/"
    for name, text in seed_texts.items():
        spans = [m.span() for m in re.finditer(r"[^.!?\n]+[.!?]", text)]
        paras = [m.span() for m in re.finditer(r"[^\n]+", text)]
        spans += [(paras[i][0], paras[i + 1][1]) for i in range(len(paras) - 1)]
        for start, end in spans:
            url = text_fragment_url("https://x.example/", text, start, end)
            if ":~:" not in url:
                continue
            got = _match(text, _directive(url))
            from app.sharing.fragment import trim_span

            want = trim_span(text, start, end)
            # the right passage, or a word-for-word twin of it (a lead repeated in the body)
            assert got is not None, (name, text[start:end])
            assert got == want or text[got[0] : got[1]] == text[want[0] : want[1]], (name, text[start:end])


def test_told_names_only_an_interviewer_the_text_names():
    text = "Macron told The Economist that Europe could die. Macron told reporters that it was late."
    first, second = text.index("told"), text.rindex("told")
    economist = SimpleNamespace(cue_span=[first, first + 4], cue_text="told")
    reporters = SimpleNamespace(cue_span=[second, second + 4], cue_text="told")
    said = SimpleNamespace(cue_span=[first, first + 4], cue_text="said")
    assert interviewer(economist, text) == "The Economist"
    assert interviewer(reporters, text) is None and interviewer(said, text) is None
