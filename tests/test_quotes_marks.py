"""Quote-mark scanning: every style of mark, apostrophes, unmatched marks, multi-paragraph, nested."""

from app.quotes.marks import scan


def inner(text):
    return [q.inner(text) for q in scan(text)]


def test_straight_curly_guillemets_and_nyt_marks():
    text = "He said \"one two\". She said “three four”. They said «five six». Mr. Lee said ''seven eight.''"
    assert inner(text) == ['"one two"', "“three four”", "«five six»", "''seven eight.''"]


def test_single_curly_quotes_as_quotation_marks():
    text = "The minister said ‘we are ready to help them’ on Monday."
    qs = scan(text)
    assert [q.inner(text) for q in qs] == ["‘we are ready to help them’"]
    assert qs[0].family == "single"


def test_apostrophes_inside_quotes_do_not_end_them():
    text = "“It’s the workers’ money and we don’t waste it,” she said."
    assert inner(text) == ["“It’s the workers’ money and we don’t waste it,”"]


def test_unmatched_mark_does_not_wreck_the_rest():
    text = 'He said "this never closes.\n\nLater she said "all good here," and left.'
    qs = scan(text)
    assert qs[-1].inner(text) == '"all good here,"'
    assert qs[-1].closed
    assert not qs[0].closed and qs[0].end <= text.index("\n")


def test_multi_paragraph_quote_reopened_each_paragraph():
    text = "“First paragraph of the speech.\n\n“Second paragraph of the speech,” he said."
    qs = scan(text)
    assert len(qs) == 1 and len(qs[0].parts) == 2
    assert text[qs[0].end - 1] == "”"


def test_multi_paragraph_quote_closed_in_next_paragraph_without_reopening():
    text = '"The plan is clear.\n\nIt cannot be clearer," he said.'
    qs = scan(text)
    assert len(qs) == 1 and len(qs[0].parts) == 2


def test_quote_opened_implicitly_at_paragraph_start():
    text = "She noted the risk.\n\nWe are ready to act when it is needed ,” Kalnina said."
    qs = scan(text)
    assert len(qs) == 1 and qs[0].implicit_open
    assert qs[0].inner(text).startswith("We are ready")


def test_nested_quotes_stay_inside_the_outer_one():
    text = "“They called it ‘a disaster’ and left,” he said. “Then they asked “why?” again.”"
    qs = scan(text)
    assert qs[0].inner(text) == "“They called it ‘a disaster’ and left,”"
    assert qs[0].nested


def test_inch_marks_are_not_quotes():
    text = "He is 6'3\" tall and weighs 90 kg, the letter said."
    assert scan(text) == []
