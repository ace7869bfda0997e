"""Editor pages: an editor corrects people and quotes in the browser, readers see the result."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlmodel import Session, select

from app.corrections import auth
from app.models import Article, Correction, Person, PersonName, Quote

PASSWORD = "correct horse battery"
TEXT = (
    'Prime Minister Ingrida Šimonytė said: "We will stay the course." '
    '"There is such an option," Shimonite replied. <script>alert(1)</script>'
)


def _span(sub):
    i = TEXT.index(sub)
    return [[i, i + len(sub)]]


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        auth.add_user(s, "editor", PASSWORD)
        art = Article(
            uid="w1",
            title="Lithuania ready",
            publisher="Daily",
            published=dt.date(2024, 5, 12),
            text=TEXT,
            content_hash=hashlib.sha256(TEXT.encode()).hexdigest(),
        )
        a = Person(slug="ingrida-simonyte", name="Ingrida Šimonytė", role="prime minister", country="LT")
        b = Person(slug="shimonite", name="Shimonite <b>x</b>")
        s.add_all([art, a, b])
        s.flush()
        s.add_all(
            [
                PersonName(person_id=a.id, name="Ingrida Šimonytė", key="ingrida simonite"),
                PersonName(person_id=b.id, name="Shimonite", key="simonite"),
                Quote(
                    uid="wq1",
                    article_id=art.id,
                    person_id=a.id,
                    kind="direct",
                    text="We will stay the course.",
                    spans=_span("We will stay the course."),
                    speaker_text="Ingrida Šimonytė",
                    date=art.published,
                ),
                Quote(
                    uid="wq2",
                    article_id=art.id,
                    person_id=b.id,
                    kind="direct",
                    text="There is such an option,",
                    spans=_span("There is such an option,"),
                    speaker_text="Shimonite",
                    date=art.published,
                ),
            ]
        )
        s.commit()
    return engine


def sign_in(client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login", data={"username": "editor", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303


def form_token(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post(client, path: str, page: str, data: dict):
    return client.post(path, data={**data, "csrf_token": form_token(client, page)}, follow_redirects=False)


def test_person_page_offers_every_correction_and_escapes_names(client, world):
    sign_in(client)
    page = client.get("/admin/people/shimonite").text
    for action in ("merge", "rename", "fields", "split"):
        assert f'action="/admin/people/shimonite/{action}"' in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert 'href="/admin/quotes/wq2"' in page


def test_merge_shows_on_public_person_page(client, world):
    sign_in(client)
    r = post(
        client,
        "/admin/people/ingrida-simonyte/merge",
        "/admin/people/ingrida-simonyte",
        {"other": "shimonite", "keep": "this"},
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/people/ingrida-simonyte")
    client.cookies.clear()  # a reader
    public = client.get("/people/ingrida-simonyte").text
    assert "We will stay the course." in public and "There is such an option" in public
    assert "Shimonite" in public  # the variant is listed
    assert "Corrected on" in public
    old = client.get("/people/shimonite", follow_redirects=False)
    assert old.status_code in (301, 302, 307, 308) and old.headers["location"].endswith("/people/ingrida-simonyte")


def test_merge_keeping_the_other_person(client, world):
    sign_in(client)
    r = post(
        client,
        "/admin/people/ingrida-simonyte/merge",
        "/admin/people/ingrida-simonyte",
        {"other": "shimonite", "keep": "other"},
    )
    assert r.headers["location"].startswith("/admin/people/shimonite")
    with Session(world) as s:
        a = s.exec(select(Person).where(Person.slug == "ingrida-simonyte")).one()
        b = s.exec(select(Person).where(Person.slug == "shimonite")).one()
        assert a.merged_into_id == b.id


def test_bad_input_is_explained_not_saved(client, world):
    sign_in(client)
    r = post(
        client,
        "/admin/people/ingrida-simonyte/fields",
        "/admin/people/ingrida-simonyte",
        {"role": "prime minister", "country": "Atlantis", "organisation": ""},
    )
    assert r.status_code == 400 and "unknown country" in r.text
    r = post(client, "/admin/people/ingrida-simonyte/merge", "/admin/people/ingrida-simonyte", {"other": "nobody"})
    assert r.status_code == 400 and "nobody" in r.text
    r = post(client, "/admin/quotes/wq1/reassign", "/admin/quotes/wq1", {"person": "Ingrida Šimonytė"})
    assert r.status_code == 400 and "already attributed" in r.text
    r = post(client, "/admin/quotes/wq1/hide", "/admin/quotes/wq1", {"reason": ""})
    assert r.status_code == 400 and "reason is required" in r.text
    with Session(world) as s:
        assert s.exec(select(Correction)).all() == []


def test_rename_and_fields_show_publicly(client, world):
    sign_in(client)
    post(client, "/admin/people/shimonite/rename", "/admin/people/shimonite", {"name": "Ingrid Shimonite"})
    r = post(
        client,
        "/admin/people/shimonite/fields",
        "/admin/people/shimonite",
        {"role": "minister", "country": "Lithuania", "organisation": "Seimas"},
    )
    assert r.status_code == 303
    public = client.get("/people/shimonite").text
    assert "Ingrid Shimonite" in public and "Seimas" in public and "Lithuania" in public


def test_reassign_to_unknown_and_hide_then_undo(client, world):
    sign_in(client)
    r = post(client, "/admin/quotes/wq2/reassign", "/admin/quotes/wq2", {"person": "unknown"})
    assert r.status_code == 303
    assert "Unknown speaker" in client.get("/admin/quotes/wq2").text
    assert "Corrected on" in client.get("/q/wq2").text  # readers are told
    r = post(client, "/admin/quotes/wq1/hide", "/admin/quotes/wq1", {"reason": "Said by someone else"})
    assert r.status_code == 303
    assert client.get("/q/wq1").status_code == 410
    log = client.get("/admin/corrections").text
    assert "Said by someone else" in log and "reattributed from Shimonite" in log
    undo_ids = re.findall(r'action="/admin/corrections/(\d+)/undo"', log)
    assert len(undo_ids) == 2
    for cid in undo_ids:
        r = post(client, f"/admin/corrections/{cid}/undo", "/admin/corrections", {})
        assert r.status_code == 303
    assert client.get("/q/wq1").status_code == 200
    with Session(world) as s:
        assert s.exec(select(Quote).where(Quote.uid == "wq2")).one().person_id is not None
    log = client.get("/admin/corrections").text
    assert "undone" in log and 'action="/admin/corrections/' not in log


def test_reassign_to_another_person_then_split(client, world):
    sign_in(client)
    post(client, "/admin/quotes/wq2/reassign", "/admin/quotes/wq2", {"person": "Ingrida Šimonytė"})  # by name
    with Session(world) as s:
        a = s.exec(select(Person).where(Person.slug == "ingrida-simonyte")).one()
        assert s.exec(select(Quote).where(Quote.uid == "wq2")).one().person_id == a.id
        s.add(PersonName(person_id=a.id, name="Ingrid Šimonite", key="ingrid simonite"))
        s.commit()
        moved = s.exec(select(PersonName).where(PersonName.name == "Ingrid Šimonite")).one().id
    r = client.post(
        "/admin/people/ingrida-simonyte/split",
        data={
            "names": [str(moved)],
            "quotes": ["wq2"],
            "new_name": "",
            "csrf_token": form_token(client, "/admin/people/ingrida-simonyte"),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    new_slug = r.headers["location"].split("/")[3].split("?")[0]
    assert new_slug == "ingrid-simonite"
    public = client.get(f"/people/{new_slug}").text
    assert "There is such an option" in public and "We will stay the course." not in public
    with Session(world) as s:
        a = s.exec(select(Person).where(Person.slug == "ingrida-simonyte")).one()
        assert [pn.name for pn in s.exec(select(PersonName).where(PersonName.person_id == a.id))] == [
            "Ingrida Šimonytė"
        ]


def test_search_finds_people_and_quotes(client, world):
    sign_in(client)
    page = client.get("/admin?q=option").text
    assert 'href="/admin/quotes/wq2"' in page
    page = client.get("/admin?q=Šimonytė").text
    assert 'href="/admin/people/ingrida-simonyte"' in page


def test_search_matches_any_quote_mark_as_on_the_people_page(client, world):
    """Typed with a straight apostrophe, the search finds words stored with a curly one (and the reverse)."""
    with Session(world) as s:
        art = s.exec(select(Article)).first()
        s.add_all(
            [
                Person(slug="dara-o-brien", name="Dara O’Brien"),
                Quote(uid="wq3", article_id=art.id, kind="direct", text="We don’t give up.", spans=_span("We")),
            ]
        )
        s.commit()
    sign_in(client)
    assert 'href="/admin/quotes/wq3"' in client.get("/admin?q=don't").text
    assert 'href="/admin/people/dara-o-brien"' in client.get("/admin?q=O'Brien").text
    assert 'href="/admin/quotes/wq3"' not in client.get("/admin?q=dont").text


def test_unknown_targets_are_404(client, world):
    sign_in(client)
    assert client.get("/admin/people/nobody").status_code == 404
    assert client.get("/admin/quotes/nothing").status_code == 404
    r = post(client, "/admin/corrections/999999/undo", "/admin/corrections", {})
    assert r.status_code == 404
