"""Login throttling lives in the database: per user name, per client address, across worker processes."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from app.corrections import auth
from app.corrections.throttle import (
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    MAX_USER_FAILURES,
    WINDOW,
    LoginThrottle,
    throttle,
)
from app.models import LoginFailure, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def editor(engine):
    with Session(engine) as s:
        auth.add_user(s, "editor", PASSWORD)
        s.commit()


def _sign_in(client, username="editor", password=PASSWORD):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )


def test_spraying_user_names_from_one_address_is_stopped(client, editor):
    for i in range(MAX_ADDRESS_FAILURES):
        assert _sign_in(client, username=f"name{i}", password="guess guess").status_code == 401
    r = _sign_in(client, username="someone-new", password="guess guess")
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert _sign_in(client).status_code == 429  # the address is throttled, whatever the name


def test_one_account_guessed_from_many_addresses_is_stopped(session):
    for i in range(MAX_USER_FAILURES):
        throttle.failed(session, "Editor", f"198.51.100.{i}")
    assert throttle.retry_after(session, "editor", "203.0.113.9") > 0  # a fresh address, the same name
    assert throttle.retry_after(session, "other", "203.0.113.9") == 0
    assert throttle.retry_after(session, "editor", "198.51.100.1") > 0


def test_one_address_cannot_lock_an_editor_out_for_everyone(session):
    for _ in range(MAX_FAILURES):
        throttle.failed(session, "editor", "198.51.100.7")
    assert throttle.retry_after(session, "editor", "198.51.100.7") > 0
    assert throttle.retry_after(session, "editor", "203.0.113.9") == 0
    assert throttle.retry_after(session, "someone", "198.51.100.7") == 0


def test_success_clears_only_that_name_from_that_address(session):
    for _ in range(MAX_FAILURES - 1):
        throttle.failed(session, "editor", "198.51.100.7")
        throttle.failed(session, "editor", "203.0.113.9")
    throttle.succeeded(session, "EDITOR", "198.51.100.7")
    left = session.exec(select(LoginFailure.client)).all()
    assert set(left) == {"203.0.113.9"} and len(left) == MAX_FAILURES - 1


def test_failures_older_than_the_window_neither_count_nor_stay(session):
    start = utcnow()
    past = LoginThrottle(now=lambda: start)
    for _ in range(MAX_FAILURES):
        past.failed(session, "editor", "198.51.100.7")
    assert past.retry_after(session, "editor", "198.51.100.7") > 0
    later = LoginThrottle(now=lambda: start + dt.timedelta(seconds=WINDOW + 1))
    assert later.retry_after(session, "editor", "198.51.100.7") == 0
    later.failed(session, "editor", "198.51.100.7")
    assert len(session.exec(select(LoginFailure)).all()) == 1


SCRIPT = """
import sys
from sqlmodel import Session
from app.corrections.throttle import MAX_FAILURES, throttle
from app.db import make_engine
with Session(make_engine(sys.argv[1])) as s:
    for _ in range(MAX_FAILURES):
        throttle.failed(s, "editor", "testclient")
"""


def test_failures_recorded_by_another_process_count_here(client, editor, db_url):
    subprocess.run([sys.executable, "-c", SCRIPT, db_url], check=True, timeout=120)
    r = _sign_in(client)
    assert r.status_code == 429
