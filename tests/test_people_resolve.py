"""One person across articles: resolve_speaker finds or creates the right Person."""

from __future__ import annotations

from sqlmodel import select

from app.models import Correction, Person, PersonName, User
from app.people.resolve import resolve_speaker
from app.quotes.types import Speaker


def names_of(session, person):
    return {pn.name for pn in session.exec(select(PersonName).where(PersonName.person_id == person.id))}


def people(session):
    return session.exec(select(Person).where(Person.merged_into_id.is_(None))).all()


def test_none_speaker_is_unknown(session):
    assert resolve_speaker(session, None) is None
    assert people(session) == []


def test_same_full_name_in_two_articles_is_one_person(session):
    a = resolve_speaker(
        session,
        Speaker(
            "Gabrielius Landsbergis",
            role="foreign minister",
            country="LT",
            variants=["Gabrielius Landsbergis", "Landsbergis"],
        ),
    )
    session.commit()
    b = resolve_speaker(session, Speaker("Gabrielius Landsbergis", variants=["Landsbergis"]))
    assert a.id == b.id
    assert len(people(session)) == 1
    assert b.slug == "gabrielius-landsbergis"
    assert (b.role, b.country) == ("foreign minister", "LT")
    assert names_of(session, b) == {"Gabrielius Landsbergis", "Landsbergis"}


def test_spelling_and_transliteration_variants_are_one_person(session):
    a = resolve_speaker(
        session,
        Speaker("Ingrida Šimonytė", role="prime minister", country="LT", variants=["Ingrida Šimonytė", "Šimonytė"]),
    )
    b = resolve_speaker(session, Speaker("Ingrid Šimonite", variants=["Ingrid Šimonite", "Šimonite", "Shimonite"]))
    c = resolve_speaker(session, Speaker("Shimonite"))
    assert a.id == b.id == c.id
    assert {"Ingrida Šimonytė", "Ingrid Šimonite", "Šimonite", "Shimonite"} <= names_of(session, a)
    assert len(people(session)) == 1


def test_first_name_misspelling_is_one_person_and_fills_missing_fields(session):
    a = resolve_speaker(session, Speaker("Emanuel Macron"))
    b = resolve_speaker(session, Speaker("Emmanuel Macron", role="president", country="fr"))
    assert a.id == b.id
    assert (b.role, b.country) == ("president", "FR")


def test_known_fields_are_not_overwritten(session):
    a = resolve_speaker(session, Speaker("Jens Stoltenberg", role="secretary-general", organisation="NATO"))
    b = resolve_speaker(
        session, Speaker("Jens Stoltenberg", role="prime minister", country="NO", organisation="Norway")
    )
    assert a.id == b.id
    assert (b.role, b.organisation, b.country) == ("secretary-general", "NATO", "NO")


def test_field_cleared_by_an_editor_is_not_refilled(session):
    p = resolve_speaker(session, Speaker("Jens Stoltenberg"))
    user = User(username="ed", password_hash="x")
    session.add(user)
    session.flush()
    session.add(
        Correction(
            action="set_fields",
            target=p.slug,
            user_id=user.id,
            payload={"before": {"role": "x"}, "after": {"role": None}},
        )
    )
    session.flush()
    again = resolve_speaker(session, Speaker("Jens Stoltenberg", role="secretary-general", country="NO"))
    assert again.id == p.id
    assert again.role is None and again.country == "NO"


def test_bare_surname_joins_the_only_person_with_that_surname(session):
    full = resolve_speaker(session, Speaker("Vladimir Putin", role="president", country="RU"))
    bare = resolve_speaker(session, Speaker("Putin", country="RU"))
    assert bare.id == full.id


def test_bare_surname_with_conflicting_country_is_someone_else(session):
    full = resolve_speaker(session, Speaker("Vladimir Putin", role="president", country="RU"))
    bare = resolve_speaker(session, Speaker("Putin", role="minister", country="US"))
    assert bare.id != full.id


def test_bare_surname_shared_by_two_people_is_not_guessed(session):
    john = resolve_speaker(session, Speaker("John Smith"))
    jane = resolve_speaker(session, Speaker("Jane Smith"))
    assert john.id != jane.id
    bare = resolve_speaker(session, Speaker("Smith"))
    assert bare.id not in (john.id, jane.id)
    assert bare.name == "Smith"
    # and a later bare "Smith" is that same surname-only person, not a third one
    assert resolve_speaker(session, Speaker("Smith")).id == bare.id


def test_surname_only_person_is_upgraded_by_a_later_full_name(session):
    bare = resolve_speaker(session, Speaker("Zelensky"))
    full = resolve_speaker(session, Speaker("Volodymyr Zelensky", role="president", country="UA"))
    assert full.id == bare.id
    assert full.name == "Volodymyr Zelensky"
    assert full.country == "UA"


def test_different_given_names_are_different_people_unless_role_and_country_agree(session):
    a = resolve_speaker(session, Speaker("Jonas Kubilius", role="commissioner", country="LT"))
    other = resolve_speaker(session, Speaker("Justas Kubilius", role="senator", country="LT"))
    assert other.id != a.id
    unknown = resolve_speaker(session, Speaker("Juozas Kubilius"))
    assert unknown.id not in (a.id, other.id)
    same = resolve_speaker(session, Speaker("Juras Kubilius", role="commissioner", country="LT"))
    assert same.id == a.id
    boris = resolve_speaker(session, Speaker("Boris Kubilius", role="commissioner", country="LT"))
    assert boris.id not in (a.id, other.id, unknown.id)


def test_same_name_different_country_variant_is_not_merged(session):
    a = resolve_speaker(session, Speaker("David Davis", country="GB"))
    b = resolve_speaker(session, Speaker("Dave Davies", country="US"))
    assert a.id != b.id


def test_organisations_match_by_folded_name_only(session):
    a = resolve_speaker(session, Speaker("NATO", kind="organisation"))
    b = resolve_speaker(session, Speaker("Nato", kind="organisation"))
    c = resolve_speaker(session, Speaker("the Kremlin", kind="organisation", variants=["Kremlin"]))
    d = resolve_speaker(session, Speaker("Nathan Nato"))
    assert a.id == b.id
    assert a.kind == "organisation"
    assert c.id != a.id and d.id not in (a.id, c.id)


def test_slugs_are_unique(session):
    a = resolve_speaker(session, Speaker("John Smith", country="GB"))
    session.add(Person(slug="jane-doe", name="Jane Doe"))
    session.flush()
    b = resolve_speaker(session, Speaker("Jane Doe", kind="organisation"))
    assert a.slug == "john-smith"
    assert b.slug == "jane-doe-2"


def test_merged_person_resolves_to_the_survivor(session):
    loser = resolve_speaker(session, Speaker("Ingrid Simonite", country="LT"))
    winner = Person(slug="ingrida-simonyte", name="Ingrida Šimonytė", country="LT")
    session.add(winner)
    session.flush()
    loser.merged_into_id = winner.id
    session.add(loser)
    session.flush()
    got = resolve_speaker(session, Speaker("Ingrid Simonite"))
    assert got.id == winner.id
    assert "Ingrid Simonite" in names_of(session, winner)


def test_resolution_is_deterministic_and_survives_commits(session):
    first = [resolve_speaker(session, Speaker(n)).slug for n in ("Kaja Kallas", "Kaja Kalas", "Kallas")]
    session.commit()
    again = [resolve_speaker(session, Speaker(n)).slug for n in ("Kallas", "Kaja Kallas")]
    assert first == ["kaja-kallas"] * 3
    assert again == ["kaja-kallas"] * 2


def test_rolled_back_people_are_forgotten(session):
    resolve_speaker(session, Speaker("Olaf Scholz", country="DE"))
    session.rollback()
    p = resolve_speaker(session, Speaker("Olaf Scholz", country="DE"))
    session.commit()
    assert p.slug == "olaf-scholz"
    assert len(people(session)) == 1


def test_organisation_spellings_resolve_to_one_known_organisation(session):
    a = resolve_speaker(session, Speaker("the North Atlantic Treaty Organization", kind="organisation"))
    b = resolve_speaker(session, Speaker("NATO", kind="organisation"))
    c = resolve_speaker(session, Speaker("the Kremlin", kind="organisation"))
    d = resolve_speaker(session, Speaker("Kremlin", kind="organisation"))
    assert a.id == b.id and a.name == "NATO"
    assert c.id == d.id and c.country == "RU" and c.id != a.id


def test_titles_pronouns_and_descriptions_are_not_name_variants(session):
    p = resolve_speaker(
        session,
        Speaker(
            "Prime Minister Ingrida Šimonytė",
            role="prime minister",
            variants=[
                "Prime Minister Ingrida Šimonytė",
                "she",
                "the Lithuanian prime minister",
                "Ms. Šimonytė",
                "Šimonytė's",
            ],
        ),
    )
    assert p.name == "Ingrida Šimonytė" and p.slug == "ingrida-simonyte"
    assert names_of(session, p) == {"Ingrida Šimonytė", "Šimonytė"}
    assert resolve_speaker(session, Speaker("Ingrida Šimonytė")).id == p.id


def test_concurrent_calls_in_one_session_make_one_person(session):
    from concurrent.futures import ThreadPoolExecutor

    speakers = [Speaker(n, country="EE") for n in ("Kaja Kallas", "Kaja Kalas", "Kallas", "Kaja Kallas")] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda sp: resolve_speaker(session, sp).id, speakers))
    session.commit()
    assert len(set(ids)) == 1
    assert len(people(session)) == 1
