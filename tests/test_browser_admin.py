"""Browser: an editor signs in, merges two people that are one, and readers see the merge."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from browser_support import ARGS, CHROMIUM, app_env, require_chromium, serving
from sqlmodel import Session

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
TEXT = (
    'Lithuanian Prime Minister Ingrida Šimonytė said: "We will stay the course." '
    'Later, Shimonite added: "There is such an option."'
)


def _seed(url: str) -> None:
    from app.corrections.auth import add_user
    from app.db import make_engine, upgrade
    from app.models import Article, Person, PersonName, Quote

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        add_user(s, "editor", PASSWORD)
        art = Article(
            uid="br1",
            title="Lithuania is ready",
            publisher="The Daily",
            published=dt.date(2024, 5, 12),
            text=TEXT,
            content_hash=hashlib.sha256(TEXT.encode()).hexdigest(),
        )
        a = Person(slug="ingrida-simonyte", name="Ingrida Šimonytė", role="prime minister", country="LT")
        b = Person(slug="shimonite", name="Shimonite")
        s.add_all([art, a, b])
        s.flush()
        for uid, words, person, mention in (
            ("brq1", "We will stay the course.", a, "Ingrida Šimonytė"),
            ("brq2", "There is such an option.", b, "Shimonite"),
        ):
            i = TEXT.index(words)
            s.add(
                Quote(
                    uid=uid,
                    article_id=art.id,
                    person_id=person.id,
                    kind="direct",
                    text=words,
                    spans=[[i, i + len(words)]],
                    speaker_text=mention,
                    date=art.published,
                )
            )
        s.add_all(
            [
                PersonName(person_id=a.id, name="Ingrida Šimonytė", key="ingrida simonite"),
                PersonName(person_id=b.id, name="Shimonite", key="simonite"),
            ]
        )
        s.commit()
    engine.dispose()


@pytest.fixture
def server(tmp_path):
    require_chromium()
    env = app_env(tmp_path)
    _seed(env["DATABASE_URL"])
    with serving(env, tmp_path, ready="/login") as base:
        yield base


def test_editor_merges_two_people_and_readers_see_it(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            # readers see two people at first
            page.goto(f"{server}/people/ingrida-simonyte")
            expect(page.get_by_text("We will stay the course.")).to_be_visible()
            expect(page.get_by_text("There is such an option.")).to_have_count(0)

            # an editor page sends the browser to the sign-in form, then back
            page.goto(f"{server}/admin/people/ingrida-simonyte")
            expect(page).to_have_url(f"{server}/login?next=%2Fadmin%2Fpeople%2Fingrida-simonyte")
            page.get_by_label("User name").fill("editor")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{server}/admin/people/ingrida-simonyte")

            # merge "Shimonite" into this person
            page.get_by_label("The same person as (name or slug)").fill("Shimonite")
            page.get_by_role("button", name="Merge").click()
            expect(page.get_by_role("status")).to_contain_text("Saved")

            # the public page now holds both quotes and the variant; the old address leads there
            page.goto(f"{server}/people/shimonite")
            expect(page).to_have_url(f"{server}/people/ingrida-simonyte")
            expect(page.get_by_text("We will stay the course.")).to_be_visible()
            expect(page.get_by_text("There is such an option.")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Shimonite")

            # the correction is logged and can be undone
            page.goto(f"{server}/admin/corrections")
            expect(page.locator("table")).to_contain_text("Shimonite merged into Ingrida Šimonytė")
            page.get_by_role("button", name="Undo").click()
            expect(page.locator("table")).to_contain_text("undone")
            page.goto(f"{server}/people/ingrida-simonyte")
            expect(page.get_by_text("There is such an option.")).to_have_count(0)
        finally:
            browser.close()
