"""/admin/feeds: sign-in and CSRF like every editor page; follow, bad input explained, poll now, unfollow;
a failing feed shows its last error and last success (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from app.corrections import auth
from app.models import FollowedFeed, utcnow
from tests.test_corrections_web import PASSWORD, form_token, sign_in


@pytest.fixture
def editor(engine):
    with Session(engine) as s:
        auth.add_user(s, "editor", PASSWORD)
        s.commit()
    return engine


def _feeds(engine) -> list[FollowedFeed]:
    with Session(engine) as s:
        return list(s.exec(select(FollowedFeed).order_by(FollowedFeed.id)).all())


def test_needs_sign_in_and_csrf(client, editor):
    r = client.get("/admin/feeds", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2Fadmin%2Ffeeds")
    assert client.post("/admin/feeds", data={"url": "https://a.example/rss"}).status_code == 401
    sign_in(client)
    assert client.post("/admin/feeds", data={"url": "https://a.example/rss", "csrf_token": "wrong"}).status_code == 403
    assert _feeds(editor) == []


def test_follow_poll_now_unfollow(client, editor):
    sign_in(client)
    token = form_token(client, "/admin/feeds")
    assert "No feeds followed yet" in client.get("/admin/feeds").text
    r = client.post(
        "/admin/feeds",
        data={"url": "https://a.example/rss", "every": "1h", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/admin/feeds").text
    assert "https://a.example/rss" in page and ">1h<" in page and "never" in page
    (feed,) = _feeds(editor)
    assert feed.every == 3600

    bad = client.post("/admin/feeds", data={"url": "javascript:alert(1)", "every": "1h", "csrf_token": token})
    assert bad.status_code == 400 and "is not an http(s) URL" in bad.text and len(_feeds(editor)) == 1
    bad = client.post("/admin/feeds", data={"url": "https://b.example/rss", "every": "2s", "csrf_token": token})
    assert bad.status_code == 400 and "too often" in bad.text and len(_feeds(editor)) == 1
    assert client.post("/admin/feeds", data={"url": "https://a.example/rss", "csrf_token": token}).status_code == 400

    with Session(editor) as s:
        f = s.get(FollowedFeed, feed.id)
        f.next_poll = utcnow() + dt.timedelta(hours=5)
        s.add(f)
        s.commit()
    assert (
        client.post(f"/admin/feeds/{feed.id}/poll", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert _feeds(editor)[0].next_poll <= utcnow()
    assert (
        client.post(f"/admin/feeds/{feed.id}/remove", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert _feeds(editor) == []
    assert client.post("/admin/feeds/999/remove", data={"csrf_token": token}).status_code == 404


def test_failing_feed_shows_error_and_last_success(client, editor):
    with Session(editor) as s:
        s.add(
            FollowedFeed(
                url="https://c.example/rss",
                every=900,
                failures=2,
                last_error="https://c.example/rss: HTTP 500 <Internal> Server Error",
                last_success=dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC),
                last_poll=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
            )
        )
        s.commit()
    sign_in(client)
    page = client.get("/admin/feeds").text
    assert "Last error (2 failures in a row): https://c.example/rss: HTTP 500 &lt;Internal&gt; Server Error" in page
    assert "2026-11-30 08:15 UTC" in page and 'class="failing"' in page
