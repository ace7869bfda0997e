"""Editors sign in and out: hashed passwords, safe cookies, CSRF on the login form, rate limiting."""

from __future__ import annotations

import datetime as dt
import getpass
import re
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from app import cli
from app.corrections import auth, throttle
from app.models import Setting, User, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def editor(engine):
    with Session(engine) as s:
        u = auth.add_user(s, "editor", PASSWORD)
        s.commit()
        return u.id


def login_token(client, next_path: str = "/admin") -> str:
    r = client.get(f"/login?next={next_path}")
    assert r.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def sign_in(client, username="editor", password=PASSWORD, next_path="/admin"):
    token = login_token(client, next_path)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )


def test_password_is_stored_as_argon2_hash(engine, editor):
    with Session(engine) as s:
        u = s.get(User, editor)
        assert u.password_hash.startswith("$argon2id$")
        assert PASSWORD not in u.password_hash
        assert auth.authenticate(s, "editor", PASSWORD).id == editor
        assert auth.authenticate(s, "editor", "wrong password!") is None
        assert auth.authenticate(s, "nobody", PASSWORD) is None


def test_short_password_and_duplicate_names_are_refused(session):
    with pytest.raises(auth.AuthError):
        auth.add_user(session, "ed", "short")
    auth.add_user(session, "ed", PASSWORD)
    with pytest.raises(auth.AuthError):
        auth.add_user(session, "ed", PASSWORD)
    with pytest.raises(auth.AuthError):
        auth.add_user(session, "two words", PASSWORD)


def test_sign_in_sets_a_safe_session_cookie_and_opens_admin(client, editor):
    r = sign_in(client)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(auth.SESSION_COOKIE + "=")).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=" in cookie
    assert "secure" not in cookie  # only behind HTTPS (WHOSAID_SECURE_COOKIES=1)
    page = client.get("/admin")
    assert page.status_code == 200 and "Signed in as" in page.text and "editor" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_secure_cookie_when_configured(client, editor, monkeypatch):
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "secure_cookies", True)
    client.base_url = "https://testserver"  # Secure cookies travel over HTTPS only
    r = sign_in(client)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(auth.SESSION_COOKIE + "=")).lower()
    assert "; secure" in cookie


def test_wrong_password_shows_the_form_again(client, editor):
    r = sign_in(client, password="not the password")
    assert r.status_code == 401
    assert "Wrong user name or password" in r.text
    assert auth.SESSION_COOKIE not in client.cookies
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_login_form_needs_its_csrf_token(client, editor):
    login_token(client)  # the pre-session cookie is set, but the token is not sent
    r = client.post("/login", data={"username": "editor", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(
        "/login", data={"username": "editor", "password": PASSWORD, "csrf_token": "forged"}, follow_redirects=False
    )
    assert r.status_code == 403
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_login_is_rate_limited_per_user_and_address(client, editor, monkeypatch):
    for _ in range(throttle.MAX_FAILURES):
        assert sign_in(client, password="guess guess").status_code == 401
    r = sign_in(client)  # even the right password waits now
    assert r.status_code == 429
    assert 0 < int(r.headers["retry-after"]) <= throttle.WINDOW + 1
    assert client.get("/admin", follow_redirects=False).status_code == 303
    later = utcnow() + dt.timedelta(seconds=throttle.WINDOW + 1)
    monkeypatch.setattr(throttle.throttle, "now", lambda: later)  # the window has passed
    assert sign_in(client).status_code == 303


def test_next_never_leaves_the_site(client, editor):
    r = sign_in(client, next_path="//evil.example/")
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    client.cookies.clear()
    r = sign_in(client, next_path="/admin/corrections")
    assert r.headers["location"] == "/admin/corrections"


def test_admin_pages_send_browsers_to_login(client):
    r = client.get("/admin/corrections", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=%2Fadmin%2Fcorrections")


def test_logout_ends_the_session_even_for_a_copied_cookie(client, editor):
    sign_in(client)
    copied = client.cookies.get(auth.SESSION_COOKIE)
    page = client.get("/admin/corrections")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/admin", follow_redirects=False).status_code == 303
    client.cookies.set(auth.SESSION_COOKIE, copied)
    assert client.get("/admin", follow_redirects=False).status_code == 303
    assert client.post("/admin/quotes/x/hide", data={"reason": "r", "csrf_token": token}).status_code == 401
    client.cookies.clear()
    assert sign_in(client).status_code == 303  # signing in again works
    assert client.get("/admin").status_code == 200


def test_forged_or_outdated_cookies_are_rejected(client, editor, engine):
    client.cookies.set(auth.SESSION_COOKIE, "eyJ1IjoxfQ.forged.signature")
    assert client.get("/admin", follow_redirects=False).status_code == 303
    client.cookies.clear()
    sign_in(client)
    with Session(engine) as s:  # a password change ends existing sessions
        u = s.get(User, editor)
        u.password_hash = auth.hash_password("a brand new password")
        s.add(u)
        s.commit()
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_signing_key_is_generated_once_and_stored(engine):
    with Session(engine) as s:
        key = auth.secret_key(s)
        assert len(key) >= 32
        assert auth.secret_key(s) == key
        stored = s.exec(select(Setting).where(Setting.key == auth.SECRET_SETTING)).first()
        assert stored is None or stored.value == key  # stored unless another test made the cached key


def test_user_add_and_list_commands(tmp_path):
    env = {"WHOSAID_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "app.cli", "user"]
    r = subprocess.run(
        [*cmd, "add", "alice", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [*cmd, "add", "alice", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "already exists" in r.stderr
    r = subprocess.run(
        [*cmd, "add", "bob", "--password-stdin"], input="short\n", env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 1 and "at least 10 characters" in r.stderr
    r = subprocess.run([*cmd, "list"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("alice\t") and "bob" not in r.stdout


def test_user_add_says_so_when_no_password_comes(monkeypatch, capsys):
    """Input closed at the password prompt: the command names the problem and exits 2, creating no one."""

    def closed_input(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", closed_input)
    assert cli.main(["user", "add", "carol"]) == 2
    assert "whosaid user add: no password given" in capsys.readouterr().err
