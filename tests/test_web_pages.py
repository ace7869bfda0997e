"""Web: article page marks, permalinks (redirects, 404, 410, meta tags), escaping of hostile text, corrections notes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import web_factories as wf

HOSTILE = "<script>alert(1)</script>"


def canonical(client, uid: str) -> str:
    r = client.get(f"/q/{uid}", follow_redirects=False)
    assert r.status_code == 301
    return r.headers["location"]


def test_article_marks_every_quote(client, session):
    d = wf.sample(session)
    a1 = d["articles"][0]
    html = client.get(f"/articles/{a1.uid}").text
    for key in ("trained", "option", "practical"):
        q = d["quotes"][key]
        m = re.search(rf'<mark[^>]*id="q-{q.uid}"[^>]*>([^<]*)</mark>', html)
        assert m, key
        assert m.group(1) == a1.text[q.spans[0][0] : q.spans[0][1]]
    # the second part of a split quote is marked too
    assert "This could be the first step.</mark>" in html
    assert client.get("/articles/nope").status_code == 404


def test_permalink_redirects_to_canonical(client, session):
    d = wf.sample(session)
    uid = d["quotes"]["trained"].uid
    target = canonical(client, uid)
    assert target == f"/q/{uid}/gabrielius-landsbergis-our-troops-trained-ukrainians-in-ukraine"
    wrong = client.get(f"/q/{uid}/someone-else-said-this", follow_redirects=False)
    assert wrong.status_code == 301 and wrong.headers["location"] == target
    assert client.get(target, follow_redirects=False).status_code == 200


def test_unknown_quote_is_404(client, session):
    wf.sample(session)
    assert client.get("/q/qdoesnotexist", follow_redirects=False).status_code == 404
    assert client.get("/q/qdoesnotexist.json").status_code == 404
    assert client.get("/q/qdoesnotexist/any-slug").status_code == 404


def test_hidden_quote_is_410_with_reason(client, session):
    art = wf.article(session, 'T\n\n"We never said that," she said.')
    q = wf.quote(session, art, "We never said that,", hidden=True, reason="Misattributed: a caption")
    r = client.get(f"/q/{q.uid}")
    assert r.status_code == 410
    assert "Misattributed: a caption" in r.text
    j = client.get(f"/q/{q.uid}.json")
    assert j.status_code == 410 and j.json()["reason"] == "Misattributed: a caption"


def test_quote_json(client, session):
    d = wf.sample(session)
    q = d["quotes"]["option"]
    j = client.get(f"/q/{q.uid}.json").json()
    assert j["uid"] == q.uid and j["text"] == "There is such an option."
    assert j["speaker"]["name"] == "Ingrida Šimonytė" and j["speaker"]["country"] == "LT"
    assert j["article"]["title"] == "Lithuania Backs Training Mission"
    assert j["url"].endswith(canonical(client, q.uid))


def meta(html: str, key: str) -> str | None:
    m = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return m.group(1) if m else None


def test_permalink_page_content_and_share_tags(client, session):
    d = wf.sample(session)
    q = d["quotes"]["trained"]
    path = canonical(client, q.uid)
    html = client.get(path).text
    assert "Our troops trained Ukrainians in Ukraine before the war" in html
    assert "Gabrielius Landsbergis" in html and "Lithuania Backs Training Mission" in html and "MENAFN" in html
    # the surrounding sentence, including the attribution words outside the quote
    assert "Landsbergis said." in html
    assert re.search(rf'<link rel="canonical" href="[^"]*{re.escape(path)}"', html)
    assert meta(html, "og:title") and "Landsbergis" in meta(html, "og:title")
    assert "Our troops trained" in meta(html, "og:description")
    assert meta(html, "og:url").endswith(path)
    assert meta(html, "og:image").endswith(f"/q/{q.uid}.png")
    assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
    assert meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert re.search(r"<button[^>]*>Copy link</button>", html)
    assert f"/articles/{d['articles'][0].uid}#q-{q.uid}" in html


def test_permalink_offers_citation_and_embed_to_copy(client, session):
    d = wf.sample(session)
    q = d["quotes"]["trained"]
    html = client.get(canonical(client, q.uid)).text
    cite = re.search(r'<textarea id="copy-citation"[^>]*>([^<]*)</textarea>', html)
    assert cite and cite.group(1).startswith("“Our troops trained Ukrainians in Ukraine before the war")
    assert cite.group(1).endswith(
        "— Gabrielius Landsbergis, foreign minister, as reported by MENAFN, 12 May 2024, "
        "https://example.org/lt-training"
    )
    embed = re.search(r'<textarea id="copy-embed"[^>]*>([^<]*)</textarea>', html)
    assert embed and "&lt;blockquote class=&#34;whosaid-quote&#34;" in embed.group(1).replace("&quot;", "&#34;")
    assert re.search(r"<button[^>]*>Copy citation</button>", html) and re.search(
        r"<button[^>]*>Copy embed code</button>", html
    )


def test_permalink_for_unknown_speaker(client, session):
    d = wf.sample(session)
    html = client.get(canonical(client, d["quotes"]["crowd"].uid)).text
    assert "Unknown speaker" in html


def test_hostile_text_is_escaped_everywhere(client, session):
    text = f'{HOSTILE} headline\n\n"Let us {HOSTILE} talk," {HOSTILE} Smith said.'
    art = wf.article(session, text, title=f"Title {HOSTILE}", publisher=f"Pub {HOSTILE}")
    who = wf.person(session, f"Evil {HOSTILE} Smith", slug="evil-smith", role=f"role {HOSTILE}")
    q = wf.quote(session, art, f"Let us {HOSTILE} talk,", who, speaker=f"{HOSTILE} Smith", cue="said")
    pages = {
        "article": client.get(f"/articles/{art.uid}").text,
        "listing": client.get("/quotes").text,
        "fragment": client.get("/quotes", headers={"HX-Request": "true"}).text,
        "permalink": client.get(canonical(client, q.uid)).text,
        "person": client.get("/people/evil-smith").text,
        "people": client.get("/people").text,
    }
    for name, html in pages.items():
        assert HOSTILE not in html, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
    assert client.get(f"/q/{q.uid}.json").json()["text"] == f"Let us {HOSTILE} talk,"
    assert client.get("/quotes.json").json()["quotes"][0]["speaker"]["name"] == f"Evil {HOSTILE} Smith"
    atom = client.get("/quotes.atom").text
    assert HOSTILE not in atom


def test_correction_note_on_card_and_permalink(client, session):
    d = wf.sample(session)
    q = d["quotes"]["option"]
    other = d["quotes"]["rule"]
    wf.correction(session, q.uid, action="reassign", reason="speaker fixed by the desk")
    card = re.search(rf'id="card-{q.uid}".*?</article>', client.get("/quotes").text, re.S).group(0)
    assert "Corrected on" in card and "speaker fixed by the desk" in card
    other_card = re.search(rf'id="card-{other.uid}".*?</article>', client.get("/quotes").text, re.S).group(0)
    assert "Corrected on" not in other_card
    assert "Corrected on" in client.get(canonical(client, q.uid)).text
    assert "Corrected on" not in client.get(canonical(client, other.uid)).text


def test_undone_correction_has_no_note(client, session):
    d = wf.sample(session)
    q = d["quotes"]["option"]
    wf.correction(session, q.uid, action="reassign", reason="oops", undone=True)
    assert "Corrected on" not in client.get(canonical(client, q.uid)).text


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.urls.append(a["href"])


def test_no_external_scripts_or_styles_and_htmx_is_local(client, session):
    d = wf.sample(session)
    q = d["quotes"]["trained"]
    paths = [
        "/",
        "/quotes",
        f"/articles/{d['articles'][0].uid}",
        canonical(client, q.uid),
        "/people",
        "/people/gabrielius-landsbergis",
        "/countries/LT",
        "/api",
        "/quotes?kind=bogus",
        "/q/nope",
    ]
    saw_htmx = False
    for path in paths:
        parser = _Assets()
        parser.feed(client.get(path).text)
        assert parser.urls, path
        for url in parser.urls:
            parts = urlsplit(url)
            # root-relative: no scheme or host that a proxy or another hostname would get wrong (mixed content)
            assert not parts.scheme and not parts.netloc, (path, url)
            assert parts.path.startswith("/static/"), (path, url)
            assert client.get(parts.path).status_code == 200, url
            saw_htmx = saw_htmx or "htmx" in parts.path
    assert saw_htmx


def test_api_page_lists_endpoints_and_openapi(client):
    html = client.get("/api").text
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/quotes",
        "/quotes.{fmt}",
        "/q/{uid}.json",
        "/q/{uid}/{slug}",
        "/people/{slug}",
        "/countries/{code}",
        "/people/{slug}.{fmt}",
    ):
        assert path in spec["paths"], path
    # the page documents every public GET endpoint (it fails when the docs lag behind the routes)
    for path, ops in spec["paths"].items():
        if "get" in ops:
            assert path in html, path
    assert "from" in html and "YYYY-MM-DD" in html  # the filter parameters are described


def test_head_requests_answer_like_get_without_body(client, session):
    d = wf.sample(session)
    uid = d["quotes"]["trained"].uid
    path = canonical(client, uid)
    r = client.head(f"/q/{uid}", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == path
    for url in (path, "/quotes", "/people/gabrielius-landsbergis", "/quotes.json"):
        r = client.head(url)
        assert r.status_code == 200, url
        assert r.content == b""
    assert client.head("/q/nope/x").status_code == 404
    assert client.get(path).status_code == 200  # GET unaffected


def test_htmx_bad_filter_gets_error_fragment_that_htmx_swaps(client, session):
    wf.sample(session)
    r = client.get("/quotes", params={"from": "12/05/2024"}, headers={"HX-Request": "true"})
    assert r.status_code == 400
    assert "<html" not in r.text and "12/05/2024" in r.text and "YYYY-MM-DD" in r.text
    # htmx does not swap 4xx by default: the page must configure it to, or the user sees nothing
    page = client.get("/quotes").text
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', page)
    assert config
    import json

    handling = json.loads(config.group(1))["responseHandling"]
    rule = next(h for h in handling if re.fullmatch(h["code"].replace(".", r"\d"), "400"))
    assert rule["swap"] is True


def test_pages_have_landmarks_and_language(client, session):
    d = wf.sample(session)
    for path in (
        "/quotes",
        canonical(client, d["quotes"]["trained"].uid),
        f"/articles/{d['articles'][0].uid}",
        "/people",
        "/people/gabrielius-landsbergis",
        "/countries/LT",
        "/api",
        "/q/nope",
    ):
        html = client.get(path).text
        assert re.search(r'<html lang="[a-z]{2}', html), path
        assert html.count("<main") == 1 and "<nav" in html, path
        assert re.search(r'<meta name="viewport" content="width=device-width', html), path
        assert len(re.findall(r"<h1[ >]", html)) == 1, path


def test_source_links_only_for_http_urls(client, session):
    """A stored article URL is untrusted: a javascript: URL must never become a clickable link."""
    bad = wf.article(session, 'Bad\n\n"Click the source," he said.', url="javascript:alert(document.cookie)")
    q_bad = wf.quote(session, bad, "Click the source,")
    good = wf.article(session, 'Good\n\n"Read the source," she said.', url="https://news.example.com/a?b=1")
    q_good = wf.quote(session, good, "Read the source,")
    for html in (client.get(f"/articles/{bad.uid}").text, client.get(canonical(client, q_bad.uid)).text):
        assert not re.search(r'href="\s*javascript:', html, re.I)
        assert "Open at the source" not in html
    assert 'href="https://news.example.com/a?b=1"' in client.get(f"/articles/{good.uid}").text
    perma = client.get(canonical(client, q_good.uid)).text
    assert re.search(r'<a class="source-link" href="https://news\.example\.com/a\?b=1#:~:text=', perma)


def test_share_urls_use_the_configured_public_origin(client, session, monkeypatch):
    from app.config import get_settings

    d = wf.sample(session)
    q = d["quotes"]["trained"]
    monkeypatch.setenv("WHOSAID_BASE_URL", "https://whosaid.example/")
    get_settings.cache_clear()
    try:
        path = canonical(client, q.uid)
        html = client.get(path).text
        assert f'<link rel="canonical" href="https://whosaid.example{path}"' in html
        assert meta(html, "og:url") == f"https://whosaid.example{path}"
        assert meta(html, "og:image") == f"https://whosaid.example/q/{q.uid}.png"
        assert client.get(f"/q/{q.uid}.json").json()["url"] == f"https://whosaid.example{path}"
        assert "testserver" not in html.split("<body", 1)[0]
    finally:
        monkeypatch.delenv("WHOSAID_BASE_URL")
        get_settings.cache_clear()


def test_unknown_speaker_card_and_json_say_who_the_article_says_spoke(client, session):
    art = wf.article(session, 'Profits fell. "It is ready," a company spokesman said.')
    q = wf.quote(session, art, "It is ready,", speaker="a company spokesman", cue="said")
    for page in ("/quotes", canonical(client, q.uid)):
        html = client.get(page).text
        assert 'Unknown speaker</span>: <span class="mention">“a company spokesman”' in html, page
    assert client.get(f"/q/{q.uid}.json").json()["speaker_mention"] == "a company spokesman"
