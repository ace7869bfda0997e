"""Browser: under the Content-Security-Policy every page works and nothing is blocked; no page can be framed."""

from __future__ import annotations

import re

import pytest
from browser_support import ARGS, CHROMIUM, app_env, require_chromium, serving
from sqlmodel import Session

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def _seed(url: str) -> dict:
    from app.corrections.auth import add_user
    from app.db import make_engine, upgrade
    from tests import web_factories as wf

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        add_user(s, "editor", PASSWORD)
        s.commit()
        d = wf.sample(s)
        uid = d["quotes"]["trained"].uid
    engine.dispose()
    return {"uid": uid}


@pytest.fixture
def site(tmp_path):
    require_chromium()
    env = app_env(tmp_path)
    data = _seed(env["DATABASE_URL"])
    with serving(env, tmp_path, ready="/quotes") as base:
        yield base, data


def test_pages_run_under_the_csp_without_a_single_violation(site):
    from playwright.sync_api import expect, sync_playwright

    base, data = site
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))

            page.goto(f"{base}/quotes")
            page.wait_for_function("() => window.htmx !== undefined")
            page.evaluate("window.__marker = 1")
            page.get_by_label("Person").fill("gabrielius-landsbergis")
            page.get_by_label("Person").press("Enter")  # htmx swap, no reload
            expect(page).to_have_url(re.compile(r"person=gabrielius-landsbergis"))
            expect(page.locator("#results article.card").first).to_be_visible()
            assert page.evaluate("window.__marker") == 1
            assert page.evaluate("getComputedStyle(document.body).fontFamily")  # style.css applied

            page.goto(f"{base}/q/{data['uid']}")
            expect(page.locator("h1, blockquote").first).to_be_visible()
            page.goto(f"{base}/people")
            page.goto(f"{base}/api")

            page.goto(f"{base}/login")
            page.get_by_label("User name").fill("editor")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
            expect(page).to_have_url(re.compile(r"/admin$"))
            border = page.evaluate(
                "getComputedStyle(document.querySelector('.admin form[role=search]')).borderTopStyle"
            )
            assert border == "solid", "admin.css did not load"

            # a hostile page that frames ours gets nothing: Chromium refuses, citing frame-ancestors
            refusals: list[str] = []
            frame_host = browser.new_page()
            frame_host.on("console", lambda m: refusals.append(m.text))
            frame_host.set_content(f'<iframe id="f" src="{base}/quotes"></iframe>')
            for _ in range(50):
                if any("frame-ancestors" in r for r in refusals):
                    break
                frame_host.wait_for_timeout(100)
            assert any("frame-ancestors 'none'" in r for r in refusals), refusals
            assert frame_host.frame_locator("#f").locator("article.card").count() == 0
        finally:
            browser.close()
    blocked = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert blocked == [], blocked
