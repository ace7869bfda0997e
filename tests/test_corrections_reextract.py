"""Corrections survive `whosaid reextract` and re-ingest, through the real ingest pipeline."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.corrections import service
from app.ingest.pipeline import run_ingest, run_reextract
from app.models import Person, PersonName, Quote, User
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow


def quote(s: Session, uid: str) -> Quote:
    return s.exec(select(Quote).where(Quote.uid == uid)).one()


def test_corrections_survive_reextract_and_reingest(engine, db_url):
    summary = run_ingest([str(SEEDS)], jobs=1, database_url=db_url, quiet=True)
    assert summary.quotes > 0 and not summary.errors
    with Session(engine) as s:
        user = User(username="editor", password_hash="x")
        s.add(user)
        s.flush()
        attributed = s.exec(select(Quote).where(Quote.person_id.is_not(None)).order_by(Quote.id)).all()
        people = s.exec(select(Person).where(Person.kind == "person").order_by(Person.id)).all()
        assert len(attributed) >= 3 and len(people) >= 2
        to_unknown, to_hide, to_move = attributed[0], attributed[1], attributed[2]
        other = next(p for p in people if p.id != to_move.person_id)
        service.reassign_quote(s, to_unknown, None, user)
        service.hide_quote(s, to_hide, "Paraphrase of an interview, not a quote", user)
        service.reassign_quote(s, to_move, other, user)
        service.rename_person(s, other, "Corrected Name", user)
        service.set_person_fields(s, other, user, organisation="Test Organisation")
        # a split: one of the variants of a person with several becomes someone else
        with_variants = next(
            p for p in people if len(s.exec(select(PersonName).where(PersonName.person_id == p.id)).all()) > 1
        )
        variant = s.exec(
            select(PersonName).where(PersonName.person_id == with_variants.id).order_by(PersonName.id.desc())
        ).first()
        theirs = [
            q.uid
            for q in s.exec(select(Quote).where(Quote.person_id == with_variants.id).order_by(Quote.id))
            if q.uid not in (to_unknown.uid, to_hide.uid, to_move.uid)
        ]
        split = service.split_person(
            s, with_variants, [variant.id], user, new_name="Split Off Person", quote_uids=theirs[-1:]
        )
        assert split.payload["quotes"] == theirs[-1:]
        s.commit()
        uids = (to_unknown.uid, to_hide.uid, to_move.uid)
        other_id, new_id, split_quotes = other.id, split.payload["new_person_id"], split.payload["quotes"]

    for again in (
        lambda: run_reextract(mode="all", jobs=1, database_url=db_url, quiet=True),
        lambda: run_ingest([str(SEEDS)], jobs=1, database_url=db_url, quiet=True),
    ):
        again()
        with Session(engine) as s:
            assert quote(s, uids[0]).person_id is None
            hidden = quote(s, uids[1])
            assert hidden.hidden and hidden.hidden_reason == "Paraphrase of an interview, not a quote"
            assert quote(s, uids[2]).person_id == other_id
            p = s.get(Person, other_id)
            assert (p.name, p.organisation) == ("Corrected Name", "Test Organisation")
            for uid in split_quotes:
                assert quote(s, uid).person_id == new_id
            assert s.get(Person, new_id).merged_into_id is None
