"""Every state-changing request needs a valid editor session (401) and its CSRF token (403)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlmodel import Session, select

from app.corrections import auth, service
from app.feeds import web as feeds_routes
from app.models import Article, Correction, FollowedFeed, Person, PersonName, Quote, utcnow
from app.web.deps import require_editor
from app.web.routes import admin as admin_routes
from app.web.routes import auth as auth_routes

PASSWORD = "correct horse battery"
TEXT = 'Šimonytė said: "We stay." Šimonite said: "We go."'

# Every POST route of the editor area, with the form that makes it succeed.
ROUTES = {
    "/admin/people/{slug}/rename": ("/admin/people/ingrida-simonyte/rename", {"name": "Ingrida Simonyte"}),
    "/admin/people/{slug}/fields": (
        "/admin/people/ingrida-simonyte/fields",
        {"role": "prime minister", "country": "LT"},
    ),
    "/admin/people/{slug}/merge": (
        "/admin/people/ingrida-simonyte/merge",
        {"other": "ingrid-simonite", "keep": "this"},
    ),
    "/admin/people/{slug}/split": ("/admin/people/ingrida-simonyte/split", {"names": "SPLIT_NAME_ID"}),
    "/admin/quotes/{uid}/reassign": ("/admin/quotes/qb1/reassign", {"person": "unknown"}),
    "/admin/quotes/{uid}/hide": ("/admin/quotes/qb1/hide", {"reason": "Never said"}),
    "/admin/corrections/{cid}/undo": ("/admin/corrections/CID/undo", {}),
    "/admin/feeds": ("/admin/feeds", {"url": "https://news.example/rss", "every": "1h"}),
    "/admin/feeds/{feed_id}/poll": ("/admin/feeds/FEED_ID/poll", {}),
    "/admin/feeds/{feed_id}/remove": ("/admin/feeds/FEED_ID/remove", {}),
    "/logout": ("/logout", {}),
}


def _walk(routes):
    for r in routes:
        if hasattr(r, "original_router"):  # an included router
            yield from _walk(r.original_router.routes)
        elif getattr(r, "methods", None):
            yield r


def test_route_list_covers_every_state_changing_route_of_the_app():
    from app.web.main import app

    changing = {r.path for r in _walk(app.routes) if r.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    ours = {r.path for m in (admin_routes, auth_routes, feeds_routes) for r in m.router.routes if r.methods & {"POST"}}
    assert ours <= changing
    assert changing - {"/login"} == set(ROUTES)  # /login itself is tested in test_auth_login.py


def _depends_on(dependant, call) -> bool:
    return dependant.call is call or any(_depends_on(d, call) for d in dependant.dependencies)


def test_every_editor_route_takes_the_current_editor():
    """Pages and forms alike: sign-in is one dependency (CurrentEditor), not a check repeated by hand."""
    routes = [r for m in (admin_routes, feeds_routes) for r in m.router.routes] + [
        r for r in auth_routes.router.routes if r.path == "/logout"
    ]
    assert len(routes) > len(ROUTES)
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if not _depends_on(r.dependant, require_editor)]
    assert missing == []


def test_a_page_redirects_to_sign_in_and_a_form_gets_401(client, data):
    r = client.get("/admin/people/ingrida-simonyte?x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fadmin%2Fpeople%2Fingrida-simonyte%3Fx%3D1"
    r = client.post("/admin/people/ingrida-simonyte/rename", data={"name": "X"}, follow_redirects=False)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Cookie")
    assert r.json()["detail"].startswith("Sign in")


@pytest.fixture
def data(engine):
    with Session(engine) as s:
        user = auth.add_user(s, "editor", PASSWORD)
        art = Article(uid="b1", title="T", text=TEXT, content_hash=hashlib.sha256(TEXT.encode()).hexdigest())
        a = Person(slug="ingrida-simonyte", name="Ingrida Šimonytė", country="LT")
        b = Person(slug="ingrid-simonite", name="Ingrid Šimonite")
        s.add_all([art, a, b])
        s.flush()
        s.add_all(
            [
                PersonName(person_id=a.id, name="Ingrida Šimonytė", key="ingrida simonite"),
                PersonName(person_id=a.id, name="Šimonytė", key="simonite"),
                PersonName(person_id=b.id, name="Ingrid Šimonite", key="ingrid simonite"),
                Quote(
                    uid="qb1",
                    article_id=art.id,
                    person_id=a.id,
                    kind="direct",
                    text="We stay.",
                    spans=[[16, 24]],
                    speaker_text="Šimonytė",
                ),
                Quote(
                    uid="qb2",
                    article_id=art.id,
                    person_id=b.id,
                    kind="direct",
                    text="We go.",
                    spans=[[44, 50]],
                    speaker_text="Šimonite",
                ),
            ]
        )
        s.flush()
        c = service.rename_person(s, b, "Ingrid Simonite", user)
        feed = FollowedFeed(url="https://followed.example/rss", next_poll=utcnow() + dt.timedelta(hours=1))
        s.add(feed)
        s.commit()
        split_id = s.exec(select(PersonName).where(PersonName.name == "Šimonytė")).one().id
        return {"CID": str(c.id), "SPLIT_NAME_ID": str(split_id), "FEED_ID": str(feed.id)}


def state(engine) -> tuple:
    """Everything the routes could change."""
    with Session(engine) as s:
        people = [
            (p.slug, p.name, p.role, p.country, p.merged_into_id) for p in s.exec(select(Person).order_by(Person.id))
        ]
        quotes = [(q.uid, q.person_id, q.hidden) for q in s.exec(select(Quote).order_by(Quote.id))]
        corr = [(c.id, c.undone_at) for c in s.exec(select(Correction).order_by(Correction.id))]
        feeds = [(f.url, f.next_poll) for f in s.exec(select(FollowedFeed).order_by(FollowedFeed.id))]
        return people, quotes, corr, len(s.exec(select(PersonName)).all()), feeds


def _request(path: str, form: dict, data: dict) -> tuple[str, dict]:
    path = path.replace("CID", data["CID"]).replace("FEED_ID", data["FEED_ID"])
    form = {k: data.get(v, v) for k, v in form.items()}
    return path, form


def signed_in(client) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login", data={"username": "editor", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client.get("/admin")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_without_a_session_401(client, engine, data, route):
    path, form = _request(*ROUTES[route], data)
    before = state(engine)
    r = client.post(path, data={**form, "csrf_token": "anything"}, follow_redirects=False)
    assert r.status_code == 401
    assert state(engine) == before


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_with_a_forged_session_401(client, engine, data, route):
    path, form = _request(*ROUTES[route], data)
    client.cookies.set(auth.SESSION_COOKIE, "eyJ1IjoxLCJjIjoieCJ9.Zm9yZ2Vk.c2lnbmF0dXJl")
    before = state(engine)
    r = client.post(path, data={**form, "csrf_token": "x"}, follow_redirects=False)
    assert r.status_code == 401
    assert state(engine) == before


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_without_csrf_403(client, engine, data, route):
    path, form = _request(*ROUTES[route], data)
    signed_in(client)
    before = state(engine)
    assert client.post(path, data=form, follow_redirects=False).status_code == 403
    assert client.post(path, data={**form, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert client.post(path, data=form, headers={auth.CSRF_HEADER: "forged"}, follow_redirects=False).status_code == 403
    assert state(engine) == before


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_with_session_and_csrf_the_change_is_made(client, engine, data, route):
    path, form = _request(*ROUTES[route], data)
    token = signed_in(client)
    before = state(engine)
    r = client.post(path, data=form, headers={auth.CSRF_HEADER: token}, follow_redirects=False)  # htmx style
    assert r.status_code == 303, r.text
    if route != "/logout":
        assert state(engine) != before
    else:
        assert client.get("/admin", follow_redirects=False).status_code == 303


def test_csrf_token_of_another_session_is_refused(client, engine, data):
    token = signed_in(client)
    client.cookies.clear()
    signed_in(client)  # a new session has a new token
    r = client.post("/admin/quotes/qb1/hide", data={"reason": "x", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403
    with Session(engine) as s:
        assert not s.exec(select(Quote).where(Quote.uid == "qb1")).one().hidden
