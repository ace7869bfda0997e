"""For the browser tests: Debian's Chromium for Playwright, and the real web app served on a free port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent


def require_chromium() -> None:
    """Skip, loudly, where Debian's chromium is not installed (`make test` installs it)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser test SKIPPED: {CHROMIUM} is missing (make browser installs Debian's chromium)")


def app_env(tmp_path: Path) -> dict[str, str]:
    """Environment for the app and the CLI: a SQLite file, a session key and a share-card cache in tmp_path."""
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    return {
        **os.environ,
        "WHOSAID_DATABASE_URL": url,
        "DATABASE_URL": url,
        "WHOSAID_SECRET_KEY": "browser-test-key",
        "WHOSAID_CACHE_DIR": str(tmp_path / "cache"),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict[str, str], tmp_path: Path, ready: str = "/quotes") -> Iterator[str]:
    """uvicorn serving app.web.main:app on 127.0.0.1; yields its base URL once `ready` answers 200."""
    port = _free_port()
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.web.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}{ready}", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None:
                    pytest.fail(f"the web server exited early:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.1)
            else:
                pytest.fail("the web server did not start")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
