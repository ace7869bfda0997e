"""`make run`: WHOSAID_HOST/WHOSAID_PORT are honoured, and HOST=/PORT= on the command line still win."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _serve_line(*args: str, **env: str) -> str:
    """The `whosaid serve` command `make run` would run (dry run: nothing is started)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "WHOSAID_HOST", "WHOSAID_PORT"}}
    out = subprocess.run(
        ["make", "-n", "-s", "run", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    ).stdout
    return next(line for line in out.splitlines() if "whosaid serve" in line)


def test_make_run_leaves_host_and_port_to_whosaid_settings():
    line = _serve_line(WHOSAID_PORT="8813", WHOSAID_HOST="0.0.0.0")
    assert "--port" not in line and "--host" not in line


def test_make_run_passes_port_and_host_given_on_the_command_line():
    assert _serve_line("PORT=9000", "HOST=0.0.0.0").endswith("serve --host 0.0.0.0 --port 9000")


def test_make_run_passes_port_from_the_environment():
    assert _serve_line(PORT="9001").endswith("serve --port 9001")


def test_serve_without_flags_listens_on_whosaid_port(monkeypatch):
    from app.config import get_settings
    from app.web import cli

    seen = {}
    monkeypatch.setenv("WHOSAID_PORT", "8813")
    monkeypatch.setenv("WHOSAID_HOST", "127.0.0.2")
    get_settings.cache_clear()
    monkeypatch.setattr(cli, "upgrade", lambda: None)
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kw: seen.update(kw))
    try:
        cli.serve(argparse.Namespace(host=None, port=None, workers=1))
    finally:
        get_settings.cache_clear()
    assert (seen["host"], seen["port"]) == ("127.0.0.2", 8813)
