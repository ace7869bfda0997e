"""Browser: a journalist filters the sample quotes by person, opens one in its source, then its permalink."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from browser_support import ARGS, CHROMIUM, ROOT, app_env, require_chromium, serving

pytestmark = pytest.mark.browser

SLUG = "gabrielius-landsbergis"
NAME = "Gabrielius Landsbergis"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def server(tmp_path):
    require_chromium()
    env = app_env(tmp_path)
    # the real sample articles, through the real command a user runs
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(ROOT / "seeds")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"whosaid ingest seeds/ failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    with serving(env, tmp_path) as base:
        yield base


def test_journalist_filters_by_person_opens_the_passage_and_the_permalink(server):
    from playwright.sync_api import expect, sync_playwright

    cards = "#results article.card"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # a phone-sized window: the passage lies below the fold, so "in view" means it was scrolled to
            page = browser.new_page(viewport={"width": 390, "height": 700})
            page.goto(f"{server}/quotes")
            expect(page.locator(cards).first).to_be_visible()
            names_before = page.locator(f"{cards} .speaker .name").all_inner_texts()
            assert any(n.strip() != NAME for n in names_before), f"the unfiltered list is only {NAME}: {names_before}"
            page.wait_for_function("() => window.htmx !== undefined")
            page.evaluate("window.__marker = 1")

            # on a phone the filters fold behind their button; filter by person: the list changes in place
            # and the address says so
            expect(page.get_by_label("Person")).to_be_hidden()
            page.get_by_role("button", name=re.compile("^Filters")).click()
            person = page.get_by_label("Person")
            person.type(NAME.split()[-1][:5], delay=30)  # the typeahead suggests the speaker
            expect(page.locator(f'#f-person-options option[value="{SLUG}"]')).to_have_count(1)
            person.fill(SLUG)
            person.press("Enter")
            expect(page).to_have_url(re.compile(rf"/quotes\?(.*&)?person={SLUG}(&|$)"))
            expect(page.locator(f"{cards} .speaker .name").filter(has_not_text=NAME)).to_have_count(0)
            assert page.evaluate("window.__marker") == 1, "filtering reloaded the whole page"
            names = page.locator(f"{cards} .speaker .name").all_inner_texts()
            assert names and all(n.strip() == NAME for n in names), names
            titles = {t.strip() for t in page.locator(f"{cards} .source cite").all_inner_texts()}
            assert len(titles) >= 2, f"{NAME}'s quotes should come from two sample articles, got {titles}"
            countries = page.locator(f"{cards} .speaker .country").all_inner_texts()
            assert len(countries) == len(names) and all("Lithuania" in c for c in countries), countries
            ids = [page.locator(cards).nth(i).get_attribute("id") for i in range(len(names))]

            # the filtered address is shareable: reloading it gives the same list
            filtered_url = page.url
            page.reload()
            expect(page.locator(cards).first).to_be_visible()
            assert page.evaluate("window.__marker") is None  # a real reload this time
            assert [page.locator(cards).nth(i).get_attribute("id") for i in range(page.locator(cards).count())] == ids
            expect(page.get_by_label("Person")).to_have_value(SLUG)

            # the first card's source link: the article with that quote highlighted and in view
            first = page.locator(cards).first
            uid = first.get_attribute("id").removeprefix("card-")
            shown = first.locator(".quote-text")
            quote_text = _squash(shown.inner_text())
            if "reported" in shown.get_attribute("class").split():  # a paraphrase: speaker and verb come first
                lead = _squash(f"{shown.locator('.who').inner_text()} {shown.locator('.verb').inner_text()}")
                quote_text = quote_text.removeprefix(lead).lstrip(": ")
            else:
                quote_text = quote_text.removeprefix("“").removesuffix("”")
            permalink = first.locator("a.permalink").get_attribute("href")
            first.locator("a.context").click()
            expect(page).to_have_url(re.compile(rf"/articles/[^/#]+#q-{re.escape(uid)}$"))
            mark = page.locator(f"mark#q-{uid}")
            expect(mark).to_be_visible()
            expect(mark).to_be_in_viewport()
            assert page.evaluate(f"document.getElementById('q-{uid}').matches(':target')"), "the mark is not :target"
            marked = _squash(mark.inner_text())
            assert marked and quote_text.startswith(marked), f"marked {marked!r} is not the start of {quote_text!r}"

            # the permalink page offers its link to copy
            page.goto(filtered_url)
            page.locator(f"#card-{uid} a.permalink").click()
            expect(page).to_have_url(f"{server}{permalink}")
            expect(page.locator("figure.big-quote .reported, figure.big-quote blockquote")).to_contain_text(marked)
            expect(page.locator("#copy-link")).to_have_value(re.compile(rf"/q/{re.escape(uid)}(/|$)"))
            copy = page.get_by_role("button", name="Copy link")
            expect(copy).to_be_visible()
            copy.click()
            expect(page.locator(".copy-status")).to_have_text(re.compile("Copied|Select and copy"))
        finally:
            browser.close()
