"""Browser: the sample quotes on a phone and on a desktop, as a careful reader would try them.

- On a phone the filters fold behind "Filters", so the first card is on the first screen.
- Enter in the search box sends one request and adds one history entry; typing pauses add none.
- "Older →" lands at the top of the next page; the heading and <title> follow an htmx swap.
- Reported speech is never drawn inside quotation marks.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from browser_support import ARGS, CHROMIUM, ROOT, app_env, require_chromium, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    tmp_path = tmp_path_factory.mktemp("print-safe")
    env = app_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(ROOT / "seeds")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with serving(env, tmp_path) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_on_a_phone_the_first_card_is_on_the_first_screen(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/quotes")
    first = page.locator("#results article.card").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < 844 / 2, first.bounding_box()
    button = page.get_by_role("button", name=re.compile("^Filters"))
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(page.get_by_label("Search words or names")).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.close()


def test_enter_in_the_search_box_is_one_request_and_one_history_entry(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{server}/quotes")
    page.wait_for_function("() => window.htmx !== undefined")
    start = page.evaluate("history.length")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/quotes?" in r.url else None)
    box = page.get_by_label("Search words or names")
    box.type("air", delay=30)
    page.wait_for_timeout(700)  # a typing pause: the URL is replaced, no new entry
    expect(page).to_have_url(re.compile(r"q=air$"))
    box.type(" defense", delay=30)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=air(\+|%20)defense$"))
    page.wait_for_timeout(800)
    assert page.evaluate("history.length") == start + 1
    assert len([u for u in requests if re.search(r"q=air(\+|%20)defense$", u)]) == 1, requests
    expect(page).to_have_title(re.compile("^Quotes matching “air defense”"))
    expect(page.locator("#listing-title")).to_have_text("Quotes matching “air defense”")
    expect(page.locator("#results mark.hit").first).to_be_visible()
    page.go_back()
    expect(page).to_have_url(f"{server}/quotes")
    page.close()


def test_older_lands_at_the_top_of_the_next_page(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto(f"{server}/quotes?limit=5")
    page.wait_for_function("() => window.htmx !== undefined")
    older = page.get_by_role("link", name="Older →")
    older.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300
    older.click()
    expect(page).to_have_url(re.compile(r"before="))
    page.wait_for_timeout(300)
    top = page.evaluate("document.getElementById('results').getBoundingClientRect().top")
    assert -5 <= top <= 50, top
    page.close()


def test_no_paraphrase_is_drawn_inside_quotation_marks(server, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{server}/quotes?kind=indirect&limit=100")
    texts = page.locator("#results .quote-text").all_inner_texts()
    assert texts and not any(t.strip()[:1] in '“"' for t in texts), texts
    assert all(
        page.locator("#results .badge").nth(i).inner_text().strip().lower() == "paraphrase" for i in range(len(texts))
    )
    page.close()
