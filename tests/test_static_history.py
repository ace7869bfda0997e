"""History: typing replaces the URL and a committed change pushes it, so each Back undoes one
deliberate step; a pager click lands at the top of the list.

static/app.js runs in Node against a stand-in for the DOM and htmx's push/replace rule
(tests/js/history_harness.js); the templates are checked for the htmx attributes it relies on.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests import web_factories as wf
from tests.conftest import ROOT

NODE = shutil.which("node") or shutil.which("nodejs")


def _history(scenario: str) -> dict:
    if NODE is None:
        pytest.skip("node is not installed: the app.js history checks did not run")
    out = subprocess.run([NODE, str(ROOT / "tests/js/history_harness.js"), str(ROOT / "static/app.js"), scenario],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_typing_then_enter_leaves_one_history_entry():
    assert _history("typing")["entries"] == ["http://w.test/quotes", "http://w.test/quotes?q=air+defense"]


def test_arrow_keys_on_a_select_leave_one_entry_when_the_select_is_left():
    assert _history("select")["entries"] == [
        "http://w.test/quotes", "http://w.test/quotes?kind=mixed", "http://w.test/quotes?kind=mixed&from=2024-05-01"]


def test_a_pager_click_brings_the_top_of_the_results_into_view():
    result = _history("pager")
    assert result["entries"][-1] == "http://w.test/quotes?page=2"
    assert result["results"] == {"scrolled": {"block": "start"}, "focused": True}


def test_only_the_search_box_change_is_kept_from_the_form():
    assert _history("change")["stopped"] == ["INPUT:search"]  # dates and selects still commit through the form


def test_search_box_replaces_the_url_while_the_form_pushes_committed_changes(client, session):
    wf.sample(session)
    html = client.get("/quotes").text
    form = re.search(r'<form class="filters"[^>]*>', html).group(0)
    search = re.search(r'<input id="f-q"[^>]*>', html, re.S).group(0)
    assert 'hx-push-url="true"' in form and "submit" in form
    assert 'hx-replace-url="true"' in search and 'hx-push-url="false"' in search
    assert "search" not in re.search(r'hx-trigger="([^"]*)"', search).group(1)  # Enter is the form's submit, once
    assert "<script>" not in html.replace('<script src=', '')  # no inline script: the CSP forbids it
