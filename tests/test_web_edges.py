"""Edge pages: unknown and empty countries, bad parameters that keep the form, phones' filter button."""

from __future__ import annotations

import re

from tests import web_factories as wf

HX = {"HX-Request": "true"}


def test_an_unknown_country_code_is_not_found(client, session):
    wf.sample(session)
    r = client.get("/countries/XX")
    assert r.status_code == 404 and "No country has the code" in r.text and "XX xx" not in r.text
    assert client.get("/countries/XX.json").status_code == 404
    assert client.get("/countries/xx", follow_redirects=False).status_code == 404


def test_a_country_nobody_was_quoted_from_says_so(client, session):
    wf.sample(session)
    r = client.get("/countries/DE")
    assert r.status_code == 200
    assert "No one from Germany has been quoted yet" in r.text
    assert "<h1>Germany <abbr>DE</abbr></h1>" in r.text


def test_a_bad_date_keeps_the_form_and_says_what_is_wrong_beside_the_field(client, session):
    wf.sample(session)
    r = client.get("/quotes", params={"from": "2024-13-45", "kind": "direct"})
    assert r.status_code == 400
    html = r.text
    assert '<form class="filters"' in html  # the form is still there ...
    assert re.search(r'<option value="direct" selected', html)  # ... with the valid filters kept
    field = re.search(r'<input id="f-from"[^>]*>\s*<p class="field-error" id="err-from" role="alert">([^<]*)</p>', html)
    assert field and "is not a date" in field.group(1)
    assert 'aria-invalid="true" aria-describedby="err-from"' in field.group(0)
    assert re.search(r'<p class="field-error" id="err-to" hidden></p>', html)
    assert '<article class="card' in html  # the list shows what the valid filters give


def test_a_bad_parameter_in_an_htmx_swap_updates_the_field_error_out_of_band(client, session):
    wf.sample(session)
    r = client.get("/people/gabrielius-landsbergis", params={"kind": "quoted"}, headers=HX)
    assert r.status_code == 400 and "<html" not in r.text
    assert re.search(r'<p class="field-error" id="err-kind" hx-swap-oob="true" role="alert">[^<]*not one of', r.text)
    assert re.search(r'<p class="field-error" id="err-from" hx-swap-oob="true" hidden></p>', r.text)
    ok = client.get("/quotes", params={"kind": "direct"}, headers=HX)
    assert re.search(r'<p class="field-error" id="err-kind" hx-swap-oob="true" hidden></p>', ok.text)  # cleared


def test_machine_formats_keep_the_plain_error(client, session):
    r = client.get("/quotes.json", params={"from": "nope"})
    assert r.status_code == 400 and r.json()["error"] == "Bad parameter: from"
