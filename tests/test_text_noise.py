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
