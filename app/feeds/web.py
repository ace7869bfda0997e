"""Routes: /admin/feeds, the editors' page of followed feeds (add, remove, poll now; status of each).

GET redirects to /login when nobody is signed in; every POST needs a valid session (401) and its
CSRF token (403), like every other editor route (CurrentEditor, app.web.deps).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import update
from sqlmodel import col

from app.feeds.registry import FeedError, add_feed, find_feed, list_feeds, remove_feed
from app.feeds.schedule import format_every
from app.models import FollowedFeed, utcnow
from app.web import urls
from app.web.deps import CurrentEditor, SessionDep
from app.web.templating import render

router = APIRouter(prefix="/admin/feeds", include_in_schema=False)


def _page(request: Request, session, editor, status: int = 200, **context):
    feeds = list_feeds(session)
    response = render(
        request,
        "admin/feeds.html",
        {
            "editor": editor.user,
            "csrf": editor.csrf,
            "feeds": feeds,
            "every": format_every,
            "now": utcnow(),
            "url": "",
            "every_value": "15m",
            **context,
        },
        status_code=status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("")
@router.get("/")
def feeds_page(request: Request, session: SessionDep, editor: CurrentEditor):
    """Every followed feed with its last success, last error and next poll; a form to follow another."""
    return _page(request, session, editor)


@router.post("")
def follow(request: Request, session: SessionDep, editor: CurrentEditor, url: str = Form(""), every: str = Form("15m")):
    """Follow a feed; a bad URL or interval is explained and nothing is saved."""
    try:
        add_feed(session, url, every)
    except FeedError as exc:
        session.rollback()
        return _page(request, session, editor, 400, error=str(exc), url=url, every_value=every)
    return RedirectResponse(f"{urls.ADMIN_FEEDS}?added=1", status_code=303)


def _with_feed(request: Request, session, editor, feed_id: int, action) -> object:
    try:
        feed = find_feed(session, feed_id)
    except FeedError as exc:
        return _page(request, session, editor, 404, error=str(exc))
    action(feed)
    return RedirectResponse(urls.ADMIN_FEEDS, status_code=303)


@router.post("/{feed_id}/remove")
def unfollow(request: Request, session: SessionDep, editor: CurrentEditor, feed_id: int):
    """Stop following a feed (its articles and quotes stay)."""
    return _with_feed(request, session, editor, feed_id, lambda feed: remove_feed(session, feed.id))


@router.post("/{feed_id}/poll")
def poll_now(request: Request, session: SessionDep, editor: CurrentEditor, feed_id: int):
    """Make a feed due now (the watcher polls it within a second or so), also after a back-off."""

    def act(feed: FollowedFeed) -> None:
        session.exec(
            update(FollowedFeed)
            .where(col(FollowedFeed.id) == feed.id)
            .values(next_poll=utcnow() - dt.timedelta(seconds=1))
        )
        session.commit()

    return _with_feed(request, session, editor, feed_id, act)
