"""History: typing replaces the URL and a committed change pushes it, so each Back undoes one
deliberate step; a pager click lands at the top of the list; on phones the filters fold behind a button.

static/app.js runs in Node against a stand-in for the DOM and htmx's push/replace rule
(tests/js/app_harness.js); the templates are checked for the htmx attributes it relies on.
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
    out = subprocess.run(
        [NODE, str(ROOT / "tests/js/app_harness.js"), str(ROOT / "static/app.js"), scenario],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_typing_then_enter_leaves_one_history_entry():
    assert _history("typing")["entries"] == ["http://w.test/quotes", "http://w.test/quotes?q=air+defense"]


def test_enter_before_the_typing_pause_sends_one_request():
    result = _history("enterBeforePause")
    assert result["sent"] == ["http://w.test/quotes?q=air+defense", "cancelled http://w.test/quotes?q=air+defense"]
    assert result["entries"] == ["http://w.test/quotes", "http://w.test/quotes?q=air+defense"]


def test_arrow_keys_on_a_select_leave_one_entry_when_the_select_is_left():
    assert _history("select")["entries"] == [
        "http://w.test/quotes",
        "http://w.test/quotes?kind=mixed",
        "http://w.test/quotes?kind=mixed&from=2024-05-01",
    ]


def test_a_pager_click_brings_the_top_of_the_results_into_view():
    result = _history("pager")
    assert result["entries"][-1] == "http://w.test/quotes?page=2"
    assert result["results"] == {"scrolled": {"block": "start"}, "focused": True}


def test_only_the_search_box_change_is_kept_from_the_form():
    assert _history("change")["stopped"] == ["INPUT:search"]  # dates and selects still commit through the form


def test_on_phones_the_filters_fold_behind_a_button_that_opens_them():
    folded, opened = _history("fold")["extra"]
    assert folded == {"form": "filters foldable", "expanded": "false", "hidden": False}
    assert opened == {"form": "filters foldable open", "expanded": "true"}


def test_a_form_showing_an_error_starts_open():
    assert _history("foldWithError")["extra"] == [{"form": "filters foldable open", "expanded": "true"}]


def test_the_filters_button_is_in_the_page_and_only_phones_fold_the_form(client, session):
    wf.sample(session)
    html = client.get("/quotes", params={"kind": "direct", "q": "troops"}).text
    button = re.search(r'<button type="button" class="filters-button"[^>]*>(.*?)</button>', html, re.S)
    assert button and 'aria-controls="filters-form"' in button.group(0) and " hidden" in button.group(0)
    assert button.group(1).startswith("Filters") and "(2 on)" in button.group(1)
    assert '<form class="filters" id="filters-form"' in html
    css = (ROOT / "static/style.css").read_text(encoding="utf-8")
    phone = re.search(r"@media \(max-width: 43\.99rem\) \{(.*?)\n\}", css, re.S).group(1)
    assert ".filters.foldable:not(.open) { display: none; }" in phone
    assert re.search(r"@media \(min-width: 44rem\) \{\s*\.filters-button \{ display: none; \}", css)


def test_search_box_replaces_the_url_while_the_form_pushes_committed_changes(client, session):
    wf.sample(session)
    html = client.get("/quotes").text
    form = re.search(r'<form class="filters"[^>]*>', html).group(0)
    search = re.search(r'<input id="f-q"[^>]*>', html, re.S).group(0)
    assert 'hx-push-url="true"' in form and "submit" in form
    assert 'hx-disinherit="hx-push-url"' in form  # htmx: an inherited push, even "false", would beat replace
    assert 'hx-replace-url="true"' in search and "hx-push-url" not in search
    assert "search" not in re.search(r'hx-trigger="([^"]*)"', search).group(1)  # Enter is the form's submit, once
    assert "<script>" not in html.replace("<script src=", "")  # no inline script: the CSP forbids it
