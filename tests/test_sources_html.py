"""HTML pages: whole bodies kept whatever their class names, chunked bodies joined, failed extraction
recorded, and metadata that can be trusted (publisher, title, canonical URL, authors). Invented pages."""

from __future__ import annotations

import lxml.html
from sqlmodel import Session, select

from app.ingest.pipeline import run_ingest
from app.models import Article, Quote
from app.sources.feeds import _author as feed_author
from app.sources.html import join_chunks, parse_html
from app.sources.inputs import Job, load_job
from app.sources.meta import good_canonical, good_publisher, people, trim_title

SENTENCES = [
    '"We will not close the harbour while the ferries still run," Mayor Ilze Ozola said on Tuesday evening.',
    "The council met for four hours to discuss the repairs to the northern pier and the cost of dredging the channel.",
    '"Every week of delay costs the fishermen money they do not have," said Peteris Kalnins, who chairs the union.',
    "Engineers expect the work to take until the spring, when the ice has gone and the divers can inspect the piles.",
    "The ferry company said its timetable would not change, although two evening crossings may be merged in January.",
    '"We are ready to help, but the state has to pay its share," the harbour master, Anna Berzina, told reporters.',
]


def _page(body: str, head: str = "", body_class: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>Harbour stays open | Coast Daily</title>{head}</head>"
        f"<body class='{body_class}'><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<h1>Harbour stays open</h1>{body}<footer>© Coast Daily. All rights reserved.</footer></body></html>"
    )


def _paras(sentences) -> str:
    return "".join(f"<p>{s} {s}</p>" for s in sentences)


def _kept(text: str) -> int:
    return sum(s in text for s in SENTENCES)


def test_class_names_that_merely_contain_a_boilerplate_word_keep_the_body():
    body = (
        f"<article><div class='entry-content entry-content-read-more'>{_paras(SENTENCES)}</div>"
        "<div class='read-more'><p>Read more: other harbour stories</p></div></article>"
    )
    inp = parse_html(_page(body, body_class="promo newsletter"), "page.html")
    assert _kept(inp.text) == len(SENTENCES) and inp.problem is None
    assert "other harbour stories" not in inp.text


def test_a_wrapper_matching_a_prune_word_is_kept_when_it_holds_the_article():
    body = (
        f"<div class='advert'><div class='offcanvas-advert-wrapper'><article>{_paras(SENTENCES)}</article></div></div>"
    )
    inp = parse_html(_page(body), "page.html")
    assert _kept(inp.text) == len(SENTENCES)


def test_body_split_into_sibling_chunks_with_ads_between_is_kept_whole():
    """Long chunks, as magazine sites serve them: the extractor's first match holds only the first chunk."""
    chunks = "".join(
        f"<div class='story-body'>{_paras([f'{s} Part {j} of the story.' for j in range(12)])}</div><div class='ad-slot'><span>Ad</span></div>"
        for s in SENTENCES
    )
    page = _page(f"<div class='story'><div class='chunks'>{chunks}</div></div>")
    assert _kept(parse_html(page, "page.html").text) == len(SENTENCES)
    tree = lxml.html.fromstring(page)
    assert join_chunks(tree) == len(SENTENCES) - 1  # the retry strategy for a body cut short
    [body] = tree.xpath("//div[@class='story-body']")
    assert _kept(body.text_content()) == len(SENTENCES) and len(tree.xpath("//div[@class='ad-slot']")) == len(SENTENCES)


def test_hidden_markup_is_not_article_text():
    body = (
        f"<article>{_paras(SENTENCES)}<div style='display:none'><div itemprop='name'>CoastDailyPublisherLogo</div></div>"
        "<p hidden>Secret teaser text that readers never see on the page at all.</p></article>"
    )
    inp = parse_html(_page(body), "page.html")
    assert "CoastDailyPublisherLogo" not in inp.text and "Secret teaser" not in inp.text
    assert _kept(inp.text) == len(SENTENCES)


def test_page_title_at_the_top_of_the_body_is_left_out():
    inp = parse_html(_page(f"<article><h1>Harbour stays open</h1>{_paras(SENTENCES)}</article>"), "page.html")
    assert inp.title == "Harbour stays open"
    assert not inp.text.startswith("Harbour stays open")


def _lost_body_page() -> str:
    """A page whose extracted body is a thank-you note while the story sits in markup the extractor drops."""
    comments = "".join(f"<div class='comment'><p>{s} {s}</p></div>" for s in SENTENCES * 2)
    return _page(
        f"<article><p>Thanks for contacting us. Read Next.</p></article><section id='comments' class='comments'>{comments}</section>"
    )


def test_implausibly_short_body_is_flagged():
    inp = parse_html(_lost_body_page(), "lost.html")
    assert inp.problem and "implausibly short" in inp.problem


def test_failed_extraction_is_stored_with_its_reason_and_counted_not_ok(engine, db_url, tmp_path):
    page = tmp_path / "lost.html"
    page.write_text(_lost_body_page(), encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text(_page(f"<article>{_paras(SENTENCES)}</article>"), encoding="utf-8")
    summary = run_ingest([str(page), str(good)], jobs=1, database_url=db_url, quiet=True)
    assert (summary.new, summary.failed) == (1, 1)
    assert "failed extraction" in summary.line() and "1 failed extraction" in summary.line()
    assert any(e.startswith(str(page)) and "implausibly short" in e for e in summary.errors)
    with Session(engine) as s:
        lost = s.exec(select(Article).where(Article.source_path == str(page))).one()
        assert lost.status == "failed-extraction" and "implausibly short" in lost.status_reason
        assert s.exec(select(Quote).where(Quote.article_id == lost.id)).all() == []
    again = run_ingest([str(page), str(good)], jobs=1, database_url=db_url, quiet=True)
    assert (again.new, again.failed, again.unchanged) == (0, 0, 2)


def test_titles_lose_site_name_suffixes():
    assert trim_title("Floods in Riga | DW | 19.01.2020", "DW") == "Floods in Riga"
    assert trim_title("Floods in Riga - Coast Daily", "Coast Daily") == "Floods in Riga"
    assert (
        trim_title("Floods in Riga – coastdaily.example", None, "https://www.coastdaily.example/a/1")
        == "Floods in Riga"
    )
    assert (
        trim_title("Brexit - what happens next for the fishing towns", "Coast Daily")
        == "Brexit - what happens next for the fishing towns"
    )


def test_placeholder_publishers_are_dropped():
    assert good_publisher("Hosted") is None
    assert good_publisher("Copyright 2014") is None
    assert good_publisher("© Coast Daily 2019") is None
    assert good_publisher("coastdaily.example", "https://www.coastdaily.example/a/1") is None
    assert good_publisher("Coast Daily") == "Coast Daily"


def test_canonical_url_that_is_a_site_root_or_another_host_is_ignored():
    page = "https://coastdaily.example/news/harbour-stays-open"
    assert good_canonical("https://coastdaily.example/", page) is None
    assert good_canonical("https://coastdaily.example", None) is None
    assert good_canonical("https://aggregator.example/harbour", page) is None
    assert (
        good_canonical("https://www.coastdaily.example/news/harbour", page)
        == "https://www.coastdaily.example/news/harbour"
    )
    head = '<link rel="canonical" href="https://coastdaily.example/">'
    inp = parse_html(_page(f"<article>{_paras(SENTENCES)}</article>", head), "p", url=page)
    assert inp.canonical_url == page


def test_author_lists_hold_people():
    assert people("Ilze Ozola; Staff Reports; Breaking News Desk") == "Ilze Ozola"
    assert people("By Ilze Ozola and Peteris Kalnins") == "Ilze Ozola; Peteris Kalnins"
    assert people("newsdesk@coastdaily.example") is None
    assert people("Read our latest coverage of the harbour") is None
    assert feed_author({"author": "Staff Reports"}) is None  # a feed's author: people too
    assert feed_author({"author": "desk@coast.example (Ilze Ozola)"}) == "Ilze Ozola"


def test_page_publisher_wins_over_the_feed_title():
    head = '<meta property="og:site_name" content="Coast Daily">'
    job = Job(
        label="entry",
        kind="html",
        html=_page(f"<article>{_paras(SENTENCES)}</article>", head),
        url="https://coastdaily.example/news/harbour",
        meta={"publisher": "Coast Daily - All Stories"},
    )
    assert load_job(job).publisher == "Coast Daily"


def test_a_stray_nul_byte_does_not_make_a_page_binary():
    page = _page(f"<article>{_paras(SENTENCES)}</article>").replace("harbour", "har\x00bour", 1).encode()
    inp = parse_html(page, "page.html")
    assert _kept(inp.text) == len(SENTENCES) and "\x00" not in inp.text
