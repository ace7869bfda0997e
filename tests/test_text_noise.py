"""Article furniture is masked (same length, offsets intact) and never yields quotes or speakers."""

from app.quotes.pipeline import extract
from app.text.noise import byline, dateline, mask, noise_spans

ARTICLE = (
    "Minister Backs Plan To Train Troops\n"
    "\n"
    "by Ana Kovač\n"
    "© Jane Roe / Getty Images\n"
    "Related: Ministers meet in Riga\n"
    " date 2024-05-12 (MENAFN) The minister said the plan was ready.\n"
    "Read more: what the plan means\n"
    "The minister said the plan was ready.\n"
)


def test_mask_keeps_length_and_newlines():
    m = mask(ARTICLE)
    assert len(m) == len(ARTICLE)
    assert [i for i, c in enumerate(m) if c == "\n"] == [i for i, c in enumerate(ARTICLE) if c == "\n"]


def test_no_break_spaces_read_as_spaces():
    text = "Gov.\u00a0Tom Hale said the plan\u202fwas ready."
    m = mask(text)
    assert len(m) == len(text)
    assert m == "Gov. Tom Hale said the plan was ready."


def test_each_kind_of_furniture_is_masked():
    m = mask(ARTICLE)
    for gone in ("Getty Images", "Ana Kovač", "Related:", "Read more", "MENAFN", "Minister Backs Plan"):
        assert gone not in m, gone
    # prose stays, at the same offsets
    i = ARTICLE.index("The minister said the plan was ready.\n")
    assert m[i : i + 20] == ARTICLE[i : i + 20]
    j = ARTICLE.index("The minister said the plan was ready.", ARTICLE.index("MENAFN"))
    assert m[j : j + 10] == "The minist"


def test_a_list_items_bullet_is_masked_and_its_words_kept():
    text = "Reading list:\n-Lynn Varga says the race is open.\n• Ada Fehrman explains why.\n-5 degrees at dawn."
    m = mask(text)
    assert "\n Lynn Varga says" in m and "\n  Ada Fehrman explains" in m
    assert "-5 degrees" in m  # a minus sign before a number is no bullet


def test_kinds_are_reported():
    kinds = {n.kind for n in noise_spans(ARTICLE)}
    assert {"headline", "byline", "caption", "related", "dateline"} <= kinds


def test_caption_starting_with_colon_and_cut_off_name():
    line = ": Minister for Foreign Affairs of Latvia, Jānis Bērziņš, (L) Minister of Lithuania, Jonas Petr© A. B. / Getty Images"
    assert mask(line).strip() == ""


def test_byline_and_dateline_metadata():
    assert byline(ARTICLE) == "Ana Kovač"
    assert dateline(ARTICLE) == ("2024-05-12", "MENAFN")


def test_quote_line_without_full_stop_is_not_a_headline():
    text = '"We will not give up"\n'
    assert mask(text) == text


def test_place_datelines_are_masked_and_the_prose_after_them_kept():
    for line, prose in [
        ("WASHINGTON -- President Obama said it was ready.", "President Obama said"),
        ("LOS ANGELES, Sept. 28 (UPI) — In a preview clip, she sings.", "In a preview clip"),
        ("KYIV, Ukraine (AP) — Officials said the bridge was hit.", "Officials said"),
        ("VILNIUS (Reuters) - The minister said the plan was ready.", "The minister said"),
        ("Washington (AFP) – Democrat Ann Hale has taken a swipe at her rival.", "Democrat Ann Hale"),
        ("Berea, Ohio (AP) — Gov. Tom Reed said he would stay.", "Gov. Tom Reed said"),
        ("Springvale (Kyodo) - The mayor said the plan was ready.", "The mayor said"),
        ("TORONTO — A man is in hospital after a stabbing, police say.", "A man is in hospital"),
    ]:
        m = mask(line)
        assert m.lstrip().startswith(prose), line
        assert len(m) == len(line) and m.index(prose) == line.index(prose)
    for prose in (
        "NATO - the alliance - said it was ready.",
        "UNICEF — the children's agency — said it was ready.",
        "TORONTO-based Acme said it was ready.",
        "US — and Europe — agreed.",
        "A - b said.",
        "Ann Hale (D-Ore.) – the senator who chairs the panel – said it was over.",
        "Tom Reed (GOP) - who chairs the panel - said it was over.",
        "Springvale (Ward 3) – the town – voted no.",
    ):
        assert mask(prose) == prose


def test_floods_of_quote_marks_and_overlong_tokens_are_masked_with_offsets_kept():
    for flood in ('"' * 5000, "“" * 5000, '" ' * 5000, "=" * 40, "x" * 400):
        text = f"The mayor spoke.\n{flood}\nShe left."
        m = mask(text)
        assert len(m) == len(text) and m.strip().split() == ["The", "mayor", "spoke.", "She", "left."], flood[:3]
    for prose in (
        "“‘We stay,’ he said,” she said.",
        "Wait... what?!",
        "Details at https://news.example/a/b?c=d today.",
    ):
        assert mask(prose) == prose


def test_a_flood_of_marks_does_not_hide_the_quotes_around_it():
    text = (
        '"We will not close the harbour," Mayor Ilze Ozola said on Tuesday.\n\n'
        + '"' * 100_000
        + '\n\n"The ferries still run," she said.\n'
    )
    quotes = [text[q.spans[0][0] : q.spans[-1][1]] for q in extract(text).quotes]
    assert any("We will not close the harbour" in q for q in quotes)
    assert any("The ferries still run" in q for q in quotes)
    assert not any('""' in q for q in quotes)


BOILERPLATE = [
    "More:",
    "More: Harbour repairs to start in spring",
    "SOURCE: News agencies",
    "Source: Coast Daily archives.",
    "Follow Ilze Ozola on Instagram and Twitter.",
    "You can follow her on Instagram for daily updates.",
    "Our Standards: The Coast Wire Trust Principles.",
    "The Associated Press receives support from several foundations for its coverage. The AP is solely responsible for all content.",
    "___",
    "___ Peteris Kalnins in Riga contributed to this report.",
    "Anna Berzina contributed to this report.",
    "Updated at 1:23 p.m.",
]


def test_boilerplate_lines_are_masked_and_kept_in_the_text():
    for line in BOILERPLATE:
        text = f'"We stay," the mayor said.\n{line}\n"We go," she said.\n'
        m = mask(text)
        assert len(m) == len(text) and m[text.index(line) : text.index(line) + len(line)].strip() == "", line
        assert '"We stay," the mayor said.' in m and '"We go," she said.' in m


def test_prose_that_resembles_boilerplate_is_kept():
    for line in [
        '"We will follow the rules on Twitter," she said.',
        "More than 200 people came to the meeting.",
        "Sources said the plan was ready.",
        '"Everyone contributed to this report," the chair said.',
    ]:
        assert mask(line) == line


def test_boilerplate_lines_yield_no_quotes():
    text = (
        '"The ferries still run," Mayor Ilze Ozola said.\n\n'
        '___ "Harbour" reporter Peteris Kalnins in Riga contributed to this report.\n\n'
        "SOURCE: News agencies\n"
    )
    quotes = [text[q.spans[0][0] : q.spans[-1][1]] for q in extract(text).quotes]
    assert quotes and all("Harbour" not in q and "agencies" not in q for q in quotes)


def test_a_wire_service_standards_footer_is_no_quote(nlp):
    from app.quotes.pipeline import extract

    text = (
        'The minister said the plan was ready.\n\nOur Standards: The "Globe Wire Trust Principles."\n\n'
        'Follow us on Twitter for "breaking news as it happens."\n'
    )
    m = mask(text)
    assert "Trust Principles" not in m and "Follow us" not in m
    assert [q.text(text) for q in extract(text, nlp).quotes] == ["the plan was ready"]
