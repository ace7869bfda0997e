"""Roles, countries and organisations from the phrases around names ("the French president")."""

from __future__ import annotations

import pycountry
import pytest

from app import places
from app.datafiles import read_tsv as read_any_tsv
from app.people.mentions import mention_profile, parse_descriptor
from app.people.names import title_words
from app.people.orgs import organisation
from app.people.roles import Descriptor, descriptor_matches, role_covers, role_equivalent
from app.people.wordlists import read_tsv
from app.places import country_code


@pytest.mark.parametrize(
    "text,role,country,org",
    [
        ("Lithuanian Foreign Minister", "foreign minister", "LT", None),
        ("The Minister of Foreign Affairs of Lithuania", "foreign minister", "LT", None),
        ("Minister for Foreign Affairs of Latvia", "foreign minister", "LV", None),
        ("the British foreign minister", "foreign minister", "GB", None),
        ("the British Foreign Secretary", "foreign secretary", "GB", None),
        ("NATO Secretary-General", "secretary-general", None, "NATO"),
        ("NATO Secretary General", "secretary-general", None, "NATO"),
        ("French President", "president", "FR", None),
        ("President of France", "president", "FR", None),
        ("the French president", "president", "FR", None),
        ("the French head of state", "head of state", "FR", None),
        ("the Prime Minister of Lithuania", "prime minister", "LT", None),
        ("Lithuanian Prime Minister", "prime minister", "LT", None),
        ("Russian President", "president", "RU", None),
        ("U.S. Sen.", "senator", "US", None),
        ("a spokesman for the Kremlin", "spokesperson", "RU", "Kremlin"),
        ("Republican presidential nominee", "presidential nominee", None, None),
        ("the president", "president", None, None),
        ("Lithuania's foreign minister", "foreign minister", "LT", None),
    ],
)
def test_parse_descriptor(text, role, country, org):
    d = parse_descriptor(text)
    assert d is not None
    assert (d.role, d.country, d.organisation, d.kind) == (role, country, org, "person")


def test_parse_descriptor_of_a_body():
    d = parse_descriptor("the Kremlin")
    assert d == Descriptor(role=None, country="RU", organisation="Kremlin", kind="organisation")


@pytest.mark.parametrize("text", ["", "Lithuanian", "the weather", "yesterday in London", "he"])
def test_parse_descriptor_none_when_no_role(text):
    assert parse_descriptor(text) is None


@pytest.mark.parametrize(
    "a,b",
    [
        ("president", "head of state"),
        ("foreign minister", "foreign secretary"),
        ("foreign minister", "minister of foreign affairs"),
        ("foreign minister", "top diplomat"),
        ("prime minister", "premier"),
        ("prime minister", "head of government"),
        ("secretary-general", "secretary general"),
        ("secretary-general", "chief"),
        ("spokesman", "spokeswoman"),
        ("Spokesperson", "spokesman"),
    ],
)
def test_roles_equivalent(a, b):
    assert role_equivalent(a, b) and role_equivalent(b, a)


@pytest.mark.parametrize(
    "a,b",
    [
        ("president", "prime minister"),
        ("foreign minister", "prime minister"),
        ("foreign minister", "defence minister"),
        ("president", "vice-president"),
        ("president", None),
    ],
)
def test_roles_not_equivalent(a, b):
    assert not role_equivalent(a, b)


def test_descriptor_matches_profile():
    macron = Descriptor("president", "FR")
    landsbergis = Descriptor("foreign minister", "LT")
    stoltenberg = Descriptor("secretary-general", None, "NATO")
    assert descriptor_matches(parse_descriptor("the French president"), macron)
    assert descriptor_matches(parse_descriptor("the French head of state"), macron)
    assert descriptor_matches(parse_descriptor("the president"), macron)  # country left to the caller
    assert not descriptor_matches(parse_descriptor("the Russian president"), macron)
    assert not descriptor_matches(parse_descriptor("the French president"), landsbergis)
    assert descriptor_matches(parse_descriptor("the foreign minister"), landsbergis)
    assert descriptor_matches(parse_descriptor("the Lithuanian top diplomat"), landsbergis)
    assert not descriptor_matches(parse_descriptor("the British Foreign Secretary"), landsbergis)
    assert descriptor_matches(parse_descriptor("the NATO chief"), stoltenberg)
    assert not descriptor_matches(parse_descriptor("the NATO chief"), macron)
    # a description with a country never matches a profile whose country is unknown
    assert not descriptor_matches(parse_descriptor("the French president"), Descriptor("president", None))


def test_chief_of_staff_is_a_role_of_its_own():
    d = parse_descriptor("The mayor’s chief of staff")
    assert d is not None and d.role == "chief of staff"
    assert not descriptor_matches(parse_descriptor("the union president"), d)


def test_a_generic_role_covers_specific_ones_but_not_the_other_way():
    ortiz = parse_descriptor("Dan Ortiz, the fire chief,")
    assert ortiz is not None and ortiz.role == "chief"
    assert descriptor_matches(parse_descriptor("the chief"), Descriptor("president", None))
    assert not descriptor_matches(parse_descriptor("the president"), ortiz)
    assert not role_covers("prime minister", "leader")


@pytest.mark.parametrize(
    "text,code",
    [
        ("Lithuania", "LT"),
        ("Lithuanian", "LT"),
        ("Lithuanians", "LT"),
        ("French", "FR"),
        ("France", "FR"),
        ("British", "GB"),
        ("Britain", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("U.S.", "US"),
        ("US", "US"),
        ("American", "US"),
        ("United States", "US"),
        ("Russian", "RU"),
        ("Russia", "RU"),
        ("Ukrainian", "UA"),
        ("Kyiv", "UA"),
        ("Kiev", "UA"),
        ("Latvian", "LV"),
        ("German", "DE"),
        ("Chinese", "CN"),
        ("Dutch", "NL"),
        ("Lithuania's", "LT"),
        ("Vilnius", "LT"),
        ("Moscow", "RU"),
        ("Czech", "CZ"),
        ("South Korean", "KR"),
        ("Brazilian", "BR"),
        ("Nigerian", "NG"),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["us", "Kremlin", "Landsbergis", "", "president", "turkey"])
def test_country_code_none(text):
    assert country_code(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Vermont", True),
        ("New York", True),
        ("Calif.", True),
        ("Georgia", False),
        ("France", False),
        ("vermont", False),
    ],
)
def test_a_state_is_a_subdivision_and_no_country(text, expected):
    assert places.is_subdivision(text) is expected


def test_capitals_can_be_turned_off():
    assert country_code("Washington", capitals=False) is None
    assert country_code("Washington") == "US"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("NATO", ("NATO", None)),
        ("the Kremlin", ("Kremlin", "RU")),
        ("The White House", ("White House", "US")),
        ("the Pentagon", ("Pentagon", "US")),
        ("the State Department", ("State Department", "US")),
        ("the European Commission", ("European Commission", None)),
        ("the EU", ("European Union", None)),
        ("the U.N.", ("United Nations", None)),
        ("the Foreign Office", ("Foreign Office", "GB")),
        ("Downing Street", ("Downing Street", "GB")),
        ("the Élysée", ("Élysée", "FR")),
        ("the IMF", ("International Monetary Fund", None)),
        ("WHO", ("World Health Organization", None)),
        ("the Russian Foreign Ministry", ("Russian Foreign Ministry", "RU")),
        ("Lithuania's foreign ministry", ("Lithuanian Foreign Ministry", "LT")),
        ("the Ministry of Foreign Affairs of Lithuania", ("Lithuanian Foreign Ministry", "LT")),
        ("the Foreign Ministry", ("Foreign Ministry", None)),
    ],
)
def test_organisation(text, expected):
    assert organisation(text) == expected


@pytest.mark.parametrize("text", ["who", "Landsbergis", "French", "", "the weather"])
def test_not_organisation(text):
    assert organisation(text) is None


def test_title_words_loaded_from_data():
    for w in ["mr", "mrs", "dr", "sen", "president", "minister", "sir", "pope", "ambassador"]:
        assert w in title_words()
    assert "landsbergis" not in title_words()


@pytest.mark.parametrize(
    "text,role",
    [
        ("then-President", "former president"),
        ("Ex-President", "former president"),
        ("former Minister of Foreign Affairs", "former foreign minister"),
        ("Secretary of State", "secretary of state"),
        ("Iran's Supreme Leader Ayatollah", "supreme leader"),
    ],
)
def test_parse_descriptor_qualified_roles(text, role):
    assert parse_descriptor(text).role == role


def test_former_role_does_not_match_current_holder():
    assert not descriptor_matches(parse_descriptor("the former French president"), Descriptor("president", "FR"))


def test_mention_profile():
    name, d = mention_profile("Lithuanian Foreign Minister Gabrielius Landsbergis")
    assert name == "Gabrielius Landsbergis" and (d.role, d.country) == ("foreign minister", "LT")
    name, d = mention_profile("NATO Secretary-General Jens Stoltenberg")
    assert name == "Jens Stoltenberg" and (d.role, d.organisation) == ("secretary-general", "NATO")
    name, d = mention_profile("the Kremlin")
    assert name == "Kremlin" and d.kind == "organisation" and d.country == "RU"
    name, d = mention_profile("the French president")
    assert name == "" and (d.role, d.country) == ("president", "FR")
    assert mention_profile("Macron") == ("Macron", None)


def test_parse_descriptor_returns_independent_objects():
    d = parse_descriptor("French President")
    d.country = "XX"
    assert parse_descriptor("French President").country == "FR"


@pytest.mark.parametrize(
    "text,role,country,org",
    [
        ("the British foreign minister's", "foreign minister", "GB", None),
        ("the country's president", "president", None, None),  # the possessor is named elsewhere
        ("a European diplomat", "diplomat", None, None),  # a region is not a country
        ("the EU's top diplomat", "top diplomat", None, "European Union"),
        ("the Chinese foreign ministry spokesman", "spokesperson", "CN", "Chinese Foreign Ministry"),
        ("Britain's prime minister", "prime minister", "GB", None),
        ("the Polish premier", "premier", "PL", None),
    ],
)
def test_parse_descriptor_more_news_phrases(text, role, country, org):
    d = parse_descriptor(text)
    assert (d.role, d.country, d.organisation) == (role, country, org)


def test_data_files_use_valid_country_codes():
    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    for read, fname, col in (
        (lambda name: read_any_tsv(places.DATA / name), "demonyms.tsv", 1),
        (lambda name: read_any_tsv(places.DATA / name), "capitals.tsv", 1),
        (lambda name: read_any_tsv(places.DATA / name), "subdivisions.tsv", 1),
        (read_tsv, "organisations.tsv", 2),
    ):
        for row in read(fname):
            if len(row) > col and row[col]:
                assert row[col] in valid, (fname, row)


@pytest.mark.parametrize(
    "text,role,country,org",
    [
        ("Kremlin spokesman Dmitry Peskov", "spokesperson", "RU", "Kremlin"),
        ("Michael Tanner, an analyst at the libertarian Cato Institute,", "analyst", None, "Cato Institute"),
        ("Brian Fallon, the campaign’s press secretary,", "press secretary", None, None),
        ("the Democratic presidential candidate’s former doctor", "former doctor", None, None),
        ("The former first lady and U.S. senator", "senator", "US", None),
        ("Senator from Texas", "senator", "US", None),
        ("Former Pennsylvania Gov. Ed Rendell", "former governor", "US", None),
        ("Minister of Foreign Affairs and Trade", "foreign minister", None, None),
    ],
)
def test_parse_descriptor_of_mentions_with_names_and_clauses(text, role, country, org):
    d = parse_descriptor(text)
    assert (d.role, d.country, d.organisation) == (role, country, org)


@pytest.mark.parametrize("text", ["Mr. King", "Dr. Connie Mariano", "His ex-wife", "Mr."])
def test_courtesy_titles_and_surnames_are_not_roles(text):
    assert parse_descriptor(text) is None


def test_us_states_give_the_country():
    assert country_code("Texas") == "US" and country_code("Ky.") == "US"
    assert country_code("ky") is None
    assert country_code("Georgia") == "GE"  # the country, not the state


@pytest.mark.parametrize(
    "text",
    [
        "the wife of the French president",  # a relation of the president, not the president
        "Derek Mitchell, who served as U.S. ambassador to Burma",
    ],
)
def test_roles_of_other_people_are_not_taken(text):
    d = parse_descriptor(text)
    assert d is None or d.role not in ("president", "ambassador")


def test_role_after_unknown_place_adjective():
    d = parse_descriptor("Kerr Putney, the Charlotte-Mecklenburg police chief,")
    assert d.role == "police chief"
    d = parse_descriptor("Alan Cole, an economist at the Tax Foundation's policy center")
    assert (d.role, d.organisation) == ("economist", "Tax Foundation")


def test_bare_head_noun_covers_narrower_offices_only():
    assert role_covers("minister", "foreign minister")
    assert role_covers("secretary", "foreign secretary")
    assert not role_covers("minister", "prime minister")  # a different office
    assert not role_covers("president", "vice-president")
    assert not role_covers("president", "former president")
    assert not role_covers("foreign minister", "minister")  # never more specific than the profile
    assert descriptor_matches(parse_descriptor("the minister"), Descriptor("foreign minister", "LT"))
    assert not descriptor_matches(parse_descriptor("the minister"), Descriptor("prime minister", "LT"))


@pytest.mark.parametrize(
    "text,role,org",
    [
        ("National Security Council spokesman", "spokesperson", "National Security Council"),  # not the UN's
        ("Federal Election Commission chairman", "chair", "Federal Election Commission"),  # not the EU's
        ("Interim DNC Chairwoman", "chair", "DNC"),
        ("NYPD Commissioner James O’Neill", "commissioner", "NYPD"),
    ],
)
def test_bodies_named_before_the_role(text, role, org):
    d = parse_descriptor(text)
    assert (d.role, d.organisation) == (role, org)


def test_counterpart_gives_country_but_no_office():
    name, d = mention_profile("his British counterpart David Cameron")
    assert name == "David Cameron" and d.country == "GB" and d.role is None
    # "counterpart" is not an office: it never matches a profile by role
    assert not descriptor_matches(parse_descriptor("the British counterpart"), Descriptor("foreign secretary", "GB"))


def test_long_country_names_and_people_are_not_bodies():
    name, d = mention_profile("President of the Peoples Republic of China Xi Jinping (C)")
    assert name == "Xi Jinping" and (d.role, d.country, d.organisation) == ("president", "CN", None)
    d = parse_descriptor("a spokesman for Hillary Clinton")
    assert d.role == "spokesperson" and d.organisation is None


def test_body_names_ending_in_a_common_noun():
    assert parse_descriptor("a spokesman for the Clinton campaign").organisation == "Clinton campaign"


@pytest.mark.parametrize(
    "text,code",
    [
        ("the Netherlands", "NL"),
        ("the Philippines", "PH"),
        ("the U.S.", "US"),
        ("Côte d'Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Burma", "MM"),
        ("Kosovo", "XK"),
        ("Britons", "GB"),
        ("Saudis", "SA"),
    ],
)
def test_country_code_with_articles_and_variants(text, code):
    assert country_code(text) == code


def test_country_code_refuses_lower_case_common_words():
    assert country_code("the us") is None and country_code("the turkey") is None
    assert country_code("Korean") is None  # North or South: not guessed


def test_descriptor_carries_party_and_number():
    d = parse_descriptor("the Democratic senator")
    assert (d.role, d.party, d.plural) == ("senator", "democrat", False)
    assert parse_descriptor("the senators").plural
    assert parse_descriptor("Republican presidential nominee").party == "republican"
    senator_r = parse_descriptor("Republican senator")
    assert not descriptor_matches(d, senator_r)  # the Democratic senator is not the Republican one
    assert descriptor_matches(parse_descriptor("the senator"), senator_r)
    assert not descriptor_matches(parse_descriptor("the senators"), senator_r)
