"""Article furniture is masked (same length, offsets intact) and never yields quotes or speakers."""
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


def test_each_kind_of_furniture_is_masked():
    m = mask(ARTICLE)
    for gone in ("Getty Images", "Ana Kovač", "Related:", "Read more", "MENAFN", "Minister Backs Plan"):
        assert gone not in m, gone
    # prose stays, at the same offsets
    i = ARTICLE.index("The minister said the plan was ready.\n")
    assert m[i:i + 20] == ARTICLE[i:i + 20]
    j = ARTICLE.index("The minister said the plan was ready.", ARTICLE.index("MENAFN"))
    assert m[j:j + 10] == "The minist"


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
    for line, prose in [("WASHINGTON -- President Obama said it was ready.", "President Obama said"),
                        ("LOS ANGELES, Sept. 28 (UPI) — In a preview clip, she sings.", "In a preview clip"),
                        ("KYIV, Ukraine (AP) — Officials said the bridge was hit.", "Officials said"),
                        ("VILNIUS (Reuters) - The minister said the plan was ready.", "The minister said")]:
        m = mask(line)
        assert m.lstrip().startswith(prose), line
        assert len(m) == len(line) and m.index(prose) == line.index(prose)
    for prose in ("NATO - the alliance - said it was ready.", "US — and Europe — agreed.", "A - b said."):
        assert mask(prose) == prose


def test_a_wire_service_standards_footer_is_no_quote(nlp):
    from app.quotes.pipeline import extract

    text = ('The minister said the plan was ready.\n\nOur Standards: The "Globe Wire Trust Principles."\n\n'
            'Follow us on Twitter for "breaking news as it happens."\n')
    m = mask(text)
    assert "Trust Principles" not in m and "Follow us" not in m
    assert [q.text(text) for q in extract(text, nlp).quotes] == ["the plan was ready"]
