"""Editors: password hashing, signed session cookies and CSRF tokens (login throttling: app.corrections.throttle).

- Passwords: argon2id (argon2-cffi defaults), rehashed on login when the parameters change.
- Session: cookie `whosaid_session` = itsdangerous-signed {user id, csrf token, password-hash tag},
  HttpOnly, SameSite=Strict, Secure when WHOSAID_SECURE_COOKIES=1, valid SESSION_MAX_AGE seconds.
  Changing a user's password ends that user's sessions (the tag no longer matches); signing out
  ends every session of that user (a per-user generation number in the `setting` table).
- Key: WHOSAID_SECRET_KEY, else generated once and stored in the `setting` table.
- CSRF: a per-session token, sent back in a hidden `csrf_token` field or an `X-CSRF-Token`
  header (htmx); the login form has its own pre-session token cookie (`whosaid_login_csrf`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.config import get_settings
from app.models import Setting, User

SESSION_COOKIE = "whosaid_session"
LOGIN_CSRF_COOKIE = "whosaid_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_MAX_AGE = 8 * 3600  # an editor signs in again after a working day
LOGIN_CSRF_MAX_AGE = 3600
SECRET_SETTING = "secret_key"
USERNAME_MAX = 100

_hasher = PasswordHasher()
_secret_lock = threading.Lock()
_secrets: dict[str, str] = {}


class AuthError(ValueError):
    """A user-facing problem with an account (bad name, short password, taken name)."""


# --- passwords and users ------------------------------------------------------------------


def hash_password(password: str) -> str:
    """argon2id hash of password."""
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    if len(password) < 10:
        raise AuthError("the password must have at least 10 characters")
    if len(password) > 1000:
        raise AuthError("the password is longer than 1000 characters")


def normalise_username(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > USERNAME_MAX or any(c.isspace() for c in name):
        raise AuthError(f"a user name is 1–{USERNAME_MAX} characters without spaces")
    return name


def add_user(session: Session, username: str, password: str) -> User:
    """Create an editor account (the caller commits)."""
    username = normalise_username(username)
    check_new_password(password)
    if session.exec(select(User).where(User.username == username)).first():
        raise AuthError(f"user {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


_DUMMY_HASH = _hasher.hash("not a real password: evens out the time of unknown user names")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when username and password match, else None (same work either way)."""
    user = session.exec(select(User).where(User.username == (username or "").strip())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
        session.commit()
    return user


# --- keys and cookies ---------------------------------------------------------------------


def secret_key(session: Session) -> str:
    """WHOSAID_SECRET_KEY, or the key stored in the database (generated on first use)."""
    configured = get_settings().secret_key
    if configured:
        return configured
    url = str(session.get_bind().engine.url)
    with _secret_lock:
        if url in _secrets:
            return _secrets[url]
        row = session.get(Setting, SECRET_SETTING)
        if row is None:
            try:
                with Session(session.get_bind()) as s:
                    s.add(Setting(key=SECRET_SETTING, value=secrets.token_urlsafe(48)))
                    s.commit()
            except IntegrityError:
                pass  # another process stored one first
            with Session(session.get_bind()) as s:
                row = s.get(Setting, SECRET_SETTING)
            assert row is not None  # stored just now, by this process or another
        _secrets[url] = row.value
        return row.value


def _serializer(session: Session, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(session), salt=salt)


def _hash_tag(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@dataclass
class EditorSession:
    user: User
    csrf: str


def _generation_key(user: User) -> str:
    return f"session-generation:{user.id}"


def session_generation(session: Session, user: User) -> str:
    """Bumped by sign-out: cookies of an older generation are void (sign-out ends every session of the user)."""
    row = session.get(Setting, _generation_key(user))
    return row.value if row else "0"


def end_sessions(session: Session, user: User) -> None:
    """Void every session cookie issued to user so far (commits)."""
    row = session.get(Setting, _generation_key(user))
    if row is None:
        session.add(Setting(key=_generation_key(user), value="1"))
    else:
        row.value = str(int(row.value) + 1) if row.value.isdigit() else "1"
        session.add(row)
    session.commit()


def make_session_cookie(session: Session, user: User) -> tuple[str, str]:
    """(cookie value, csrf token) for a fresh session of user."""
    csrf = secrets.token_urlsafe(32)
    value = _serializer(session, "session").dumps(
        {"u": user.id, "c": csrf, "h": _hash_tag(user), "g": session_generation(session, user)}
    )
    return value, csrf


def read_session_cookie(session: Session, value: str | None) -> EditorSession | None:
    """The signed-in editor, or None for a missing, forged, expired or outdated cookie."""
    if not value:
        return None
    try:
        data = _serializer(session, "session").loads(value, max_age=SESSION_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not hmac.compare_digest(str(data.get("h", "")), _hash_tag(user)):
        return None
    if str(data.get("g", "")) != session_generation(session, user):
        return None  # signed out since
    csrf = data.get("c")
    return EditorSession(user, csrf) if isinstance(csrf, str) and csrf else None


def make_login_csrf(session: Session) -> tuple[str, str]:
    """(cookie value, token) for the login form before anyone is signed in."""
    token = secrets.token_urlsafe(32)
    return _serializer(session, "login-csrf").dumps(token), token


def read_login_csrf(session: Session, value: str | None) -> str | None:
    if not value:
        return None
    try:
        token = _serializer(session, "login-csrf").loads(value, max_age=LOGIN_CSRF_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    return token if isinstance(token, str) else None


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; empty never matches."""
    return bool(expected and given and hmac.compare_digest(expected.encode(), given.encode()))


def cookie_options() -> dict:
    return {"httponly": True, "samesite": "strict", "secure": get_settings().secure_cookies, "path": "/"}
