"""Editors on the public pages: the header names the signed-in editor with "Sign out", and every card and
permalink offers "Correct this", leading to the editor's form for that quote."""

from __future__ import annotations

import re

from app.corrections import auth
from tests import web_factories as wf

PASSWORD = "correct horse battery"


def sign_in(client, session) -> None:
    auth.add_user(session, "ruta", PASSWORD)
    session.commit()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login", data={"username": "ruta", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303


def test_readers_see_the_sign_in_link_and_no_correction_links(client, session):
    wf.sample(session)
    html = client.get("/quotes").text
    assert "Editors: sign in" in html and "Correct this" not in html and "Sign out" not in html


def test_a_signed_in_editor_sees_their_name_sign_out_and_correct_this(client, session):
    d = wf.sample(session)
    sign_in(client, session)
    r = client.get("/quotes")
    html = r.text
    assert "Editors: sign in" not in html
    assert re.search(r'<a href="/admin"[^>]*>ruta</a>', html)
    assert re.search(
        r'<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf_token" '
        r'value="[^"]+"><button class="link" type="submit">Sign out</button></form>',
        html,
    )
    assert r.headers["cache-control"] == "private, no-store"
    cards = re.findall(r'<article class="card.*?</article>', html, re.S)
    assert cards and all("Correct this" in c for c in cards)
    q = d["quotes"]["trained"]
    assert f'<a class="correct" href="/admin/quotes/{q.uid}">Correct this</a>' in html
    page = client.get(f"/q/{q.uid}", follow_redirects=True).text
    assert f'<a class="correct" href="/admin/quotes/{q.uid}">Correct this</a>' in page
    assert client.get(f"/admin/quotes/{q.uid}").status_code == 200  # it leads to the admin form


def test_sign_out_from_the_header_works(client, session):
    wf.sample(session)
    sign_in(client, session)
    html = client.get("/quotes").text
    token = re.search(r'action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert "Editors: sign in" in client.get("/quotes").text
