"""Extraction stages after the parse: candidates, split quotes, floating quotes, speakers → Extraction.

`assemble(masked, paras)` runs them in order on one article whose paragraphs carry their spaCy Docs
(app.quotes.pipeline.parse):

1. `reported_candidates`: reported speech from the parse (app.quotes.reported), with the quotes
   each one covers (mixed) or names the speaker of (linked);
2. `embedded_candidates`: a quoted fragment under a cue ("called it a 'disgrace'");
3. `direct_candidates`: every other quotation, with the attribution next to it;
4. `merge_split_quotes`: "A," he said, "B." is one quote; titles in quote marks are left out
   (app.quotes.joins, with app.quotes.titles);
5. `join_continuations`: an unattributed quote right after a reported clause continues it (app.quotes.joins);
6. `add_labelled`: transcript turns and "Name: claim" lines;
7. `float_quotes`: an unattributed quote after one attributed to X goes to X, or to its own short clause;
8. `resolve_speakers`: speakers within the article (app.quotes.speakers);
9. `to_extraction`: the Extraction, leaving out what is no quote (titles, handles, passages with no cue).
"""

from __future__ import annotations

import re

from app.quotes import people_api as people
from app.quotes.article import Article, Attribution, Candidate, Mention, Para
from app.quotes.attribution import attribution_after, attribution_before, embedded
from app.quotes.budget import check
from app.quotes.cues import load_cues
from app.quotes.joins import OPEN_END, join_continuations, merge_split_quotes
from app.quotes.reported import reported_speech
from app.quotes.speakers import Resolver
from app.quotes.subjects import TOLD, make_mention
from app.quotes.titles import named_work, not_a_quote
from app.quotes.types import ExtractedQuote, Extraction, Span, Speaker

EXTRACTOR_VERSION = "1.24"


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


_TRAIL = set(".,;:!?\"”’'»… ")
_LEAD = set("\"“‘'«„` ")


def _core(masked: str, s: int, e: int) -> tuple[int, int]:
    """A quote part without its marks and trailing punctuation."""
    while e > s and masked[e - 1] in _TRAIL:
        e -= 1
    while s < e and masked[s] in _LEAD:
        s += 1
    return s, e


def _starts_sentence(masked: str, art: Article, c: Candidate) -> bool:
    """A quote that is a sentence of its own (not a fragment inside someone else's sentence)."""
    para = art.paras[art.para_index(c.start)]
    before = masked[para.start : c.start].rstrip()
    if before and before[-1] not in '.!?"”’»':
        return False
    words = re.findall(r"[^\W\d_]+", masked[c.start : c.end])
    return bool(words) and words[0][:1].isupper() and len(words) >= 4


_LABEL = re.compile(r"[\"“]?\s*([A-Z][A-Za-z.'’ -]{0,40}?)\s*:\s+(\S.*?)\s*$")
_NOT_LABELS = {
    "q",
    "a",
    "note",
    "update",
    "correction",
    "photo",
    "related",
    "watch",
    "read more",
    "editor's note",
    "source",
    "sources",
    "video",
    "listen",
    "transcript",
    "clarification",
    "disclosure",
    "addendum",
}


_HEADLINE_TOPIC = re.compile(r"\s+(?:On|About)\s+")


def _labelled(masked: str, art: Article, cands: list[Candidate]) -> list[Candidate]:
    """`PENCE: Well, look, …` (transcript turns) and `Pat Caddell: Democrats are worried.` (titled claims)."""
    out = []
    for pi, p in enumerate(art.paras):
        m = _LABEL.match(masked, p.start, p.end)
        if not m or m.end() < p.end - 1:
            continue
        label, rest = m.group(1).strip(), m.group(2)
        if pi == 0:
            label = _HEADLINE_TOPIC.split(label)[0]  # "CNN President On Trump: …" is the president's, on Trump
        if label.lower() in _NOT_LABELS or len(label.split()) > 4 or len(rest.split()) < 3:
            continue
        transcript = label.isupper() and len(label) > 1
        if not transcript and not (pi == 0 or people.looks_like_person_name(label)):
            continue
        if people.country_code(label):
            continue  # "WASHINGTON: …" is a dateline
        cs, ce = m.start(2), m.end(2)
        if any(c.start < ce and cs < c.end for c in cands if c.how != "none"):
            continue
        quoted = any(cs <= q.start and q.end <= ce for q in art.quotes)  # "‘…’" too, not an apostrophe
        kind = "mixed" if quoted else "indirect"  # words without quote marks are not marked as verbatim
        named = transcript or pi != 0 or people.looks_like_person_name(label)
        mention = Mention(m.start(1), m.start(1) + len(label), label, "name" if named else "description")
        if transcript:
            mention.text = label.title()
        out.append(Candidate(spans=[(cs, ce)], kind=kind, mention=mention, cue=None, how="label", para=pi))
    return out


_TRAILER = re.compile(r"\s*([^.!?\n]{1,40})[.!?]")


def short_clause(masked: str, pos: int, end: int | None = None) -> re.Match | None:
    """The clause of one to four words from pos to the end of its sentence ("Novak fumed."), if there is one."""
    m = _TRAILER.match(masked, pos, len(masked) if end is None else end)
    return m if m is not None and 1 <= len(m.group(1).split()) <= 4 else None


def _has_own_attribution(masked: str, c: Candidate) -> bool:
    """A short clause closes the quote's sentence: "“…?” Vitter demanded." — its speaker, even if no cue
    we know names the verb, so the quote does not float to the previous speaker."""
    if not OPEN_END.search(masked[c.start : c.end]):
        return False  # the quote ends its sentence ("….”): what follows is a new sentence
    return short_clause(masked, c.end) is not None


def _own_clause_speaker(masked: str, art: Article, c: Candidate) -> tuple[Mention | None, Span | None]:
    """(mention, verb span) of the short clause closing a quote's sentence ("Novak fumed"), or (None, None)."""
    m = short_clause(masked, c.end)
    p = art.paras[art.para_index(c.start)]
    if m is None or p.doc is None or not p.parsed:
        return None, None
    toks = [t for t in p.doc if c.end <= p.start + t.idx < m.end() and not t.is_punct]
    subj = next((t for t in toks if t.dep_ in ("nsubj", "nsubjpass")), None) or next(
        (t for t in toks if t.pos_ in ("PROPN", "PRON")), None
    )
    verb = next((t for t in toks if t.pos_ == "VERB"), None)
    if subj is not None and verb is not None and subj.i > verb.i and art.cues.lemma(verb.lower_) in TOLD:
        subj = None  # '"…," told CNN's Dana Cole': the one told is not the speaker
    mention = make_mention(art, p, subj) if subj is not None else None
    cue = (p.start + verb.idx, p.start + verb.idx + len(verb)) if verb is not None else None
    return mention, cue


_TAIL = re.compile(r"\s+[—–]\s|\s+--\s|,\s+(?:[a-z]+ing|while|which|who|whom|although|though|whereas)\b")

_TAIL_AFTER_COMMA = re.compile(r"\s+(?:[a-z]+ing|while|which|who|whom|although|though|whereas)\b")


def _cut_tail(masked: str, spans: list[tuple[int, int]], quote_end: int) -> list[tuple[int, int]]:
    """A reported clause with quoted words ends before a dash or a ", <participle>/which/while …" after its
    last quotation: 'Estonia as in the "suburbs of St. Petersburg" — a metaphor for …' stops at the dash."""
    out = []
    for s, e in spans:
        if s < quote_end < e:
            m = _TAIL.search(masked, quote_end, e)
            if m is not None:
                e = m.start()
            elif masked[quote_end - 2 : quote_end - 1] == "," and _TAIL_AFTER_COMMA.match(masked, quote_end, e):
                e = quote_end  # 'that he has “expanded the party,” claiming that …': the comma inside the marks
        out.append((s, e))
    return out


def _inside(m: Mention | None, spans: list[Span]) -> bool:
    """Whether mention m stands inside one of spans."""
    return m is not None and any(s <= m.start and m.end <= e for s, e in spans)


def reported_candidates(art: Article) -> tuple[list[Candidate], set[int], dict[int, Attribution]]:
    """Reported speech found through the parse, as candidates; also the quotations they take in as mixed
    content (used) and the quotations whose speaker they name (link: quote index → (mention, cue, para))."""
    masked = art.text
    cands: list[Candidate] = []
    used: set[int] = set()
    link: dict[int, Attribution] = {}
    reported = reported_speech(art)
    spans_all = [(c, s, e) for c in reported for s, e in c.spans]
    cues = load_cues()
    # "he said he hopes that …": a belief verb inside someone's reported clause is part of that clause
    reported = [
        c
        for c in reported
        if not (
            c.cue is not None
            and masked[c.cue[0] : c.cue[1]].lower() in cues.weak
            and any(o is not c and s <= c.cue[0] < e for o, s, e in spans_all)
        )
    ]
    spans_all = [(c, s, e) for c in reported for s, e in c.spans]
    for c in reported:
        if c.mention is None and c.how == "reported":
            continue  # a clause under a cue with no speaker at all ("it was reported that …")
        if (
            c.mention is not None
            and c.mention.kind == "generic"
            and any(o is not c and s <= c.start and c.end <= e for o, s, e in spans_all)
        ):
            continue  # "… that it would signal that …": a clause inside someone's reported speech
        overlapping = []
        for qi, q in enumerate(art.quotes):
            for qs, qe in q.parts:
                if any(qs < e and s < qe for s, e in c.spans):
                    overlapping.append(qi)
                    break
        if not overlapping:
            cands.append(c)
            continue
        if (
            c.cue is not None
            and masked[c.cue[0] : c.cue[1]].lower().startswith("according")
            and any((a := attribution_after(art, qi)) is not None and _inside(a[0], c.spans) for qi in overlapping)
        ):
            continue  # "“…,” Sanders said, according to CNN": the quotation is Sanders's, CNN only reports it
        inside = [
            qi
            for qi in overlapping
            if all(
                any(s <= _core(masked, qs, qe)[0] and _core(masked, qs, qe)[1] <= e for s, e in c.spans)
                for qs, qe in art.quotes[qi].parts
            )
        ]
        for qi in inside:  # the content runs over the quote's marks
            for qs, qe in art.quotes[qi].parts:
                c.spans = [(min(s, qs), max(e, qe)) if s < qe and qs < e else (s, e) for s, e in c.spans]
        if len(inside) < len(overlapping):
            for qi in overlapping:
                if qi not in inside and c.mention is not None:
                    link.setdefault(qi, (c.mention, c.cue, c.para))
            continue
        qchars = {i for qi in inside for qs, qe in art.quotes[qi].parts for i in range(qs, qe)}
        outside = "".join(masked[i] if i not in qchars else " " for s, e in c.spans for i in range(s, e))
        outside = re.sub(r"^\s*that\b", "", outside.strip(), flags=re.I)
        if _words(outside) >= 2:
            titles = [qi for qi in inside if named_work(masked, art.quotes[qi].start, art.quotes[qi].inner(masked))]
            c.kind = "indirect" if len(titles) == len(inside) else "mixed"  # 'said on "New Day"' quotes no one
            c.quotes = inside
            c.spans = _cut_tail(masked, c.spans, max(e for qi in inside for _, e in art.quotes[qi].parts))
            used.update(inside)
            cands.append(c)
        else:
            for qi in inside:
                if c.mention is not None:
                    link.setdefault(qi, (c.mention, c.cue, c.para))
    return cands, used, link


def embedded_candidates(art: Article, used: set[int], link: dict[int, Attribution]) -> list[Candidate]:
    """A quoted fragment under a cue with a named or pronoun speaker ("called it a 'disgrace'"); the
    quotations it covers join used."""
    cands: list[Candidate] = []
    for qi in range(len(art.quotes)):
        if qi in used or qi in link:
            continue
        c = embedded(art, qi)
        if c is not None and (c.mention is None or c.mention.kind not in ("name", "pronoun")):
            c = None  # a fragment under a cue with no clear speaker: too often not a quotation
        if c is not None:
            covered = [
                qj
                for qj, qq in enumerate(art.quotes)
                if all(any(s <= a and b <= e for s, e in c.spans) for a, b in qq.parts)
            ]
            if any(qj in used for qj in covered):
                continue
            used.update(covered)
            c.quotes = covered
            cands.append(c)
    return cands


def direct_candidates(art: Article, used: set[int], link: dict[int, Attribution]) -> list[Candidate]:
    """Every quotation not taken by reported speech, with the attribution after or before it, else the
    speaker a reported clause names for it, else none."""
    direct: list[Candidate] = []
    for qi, q in enumerate(art.quotes):
        if qi in used:
            continue
        spans = [(s, e) for s, e in q.parts if e > s]
        if not spans:
            continue
        r = attribution_after(art, qi) or attribution_before(art, qi) or link.get(qi)
        if r is not None:
            mention, cue, pi = r
            direct.append(
                Candidate(spans=spans, kind="direct", mention=mention, cue=cue, how="attr", para=pi, quotes=[qi])
            )
        else:
            direct.append(
                Candidate(
                    spans=spans,
                    kind="direct",
                    mention=None,
                    cue=None,
                    how="none",
                    para=art.para_index(q.start),
                    quotes=[qi],
                )
            )
    return direct


def add_labelled(art: Article, cands: list[Candidate]) -> list[Candidate]:
    """Transcript turns and "Name: claim" lines added; unattributed quotes inside them dropped."""
    masked = art.text
    labelled = _labelled(masked, art, cands)
    if labelled:
        cands = [
            c for c in cands if not (c.how == "none" and any(x.start < c.end and c.start < x.end for x in labelled))
        ]
        cands.extend(labelled)
        cands.sort(key=lambda c: (c.start, c.end))
    return cands


def float_quotes(art: Article, cands: list[Candidate]) -> None:
    """An unattributed quote right after one attributed to X is marked to go to X ("floating"), or to the
    short clause closing its sentence ("own-clause")."""
    masked = art.text
    # floating quotes: an unattributed quote right after one attributed to X goes to X
    for i, c in enumerate(cands):
        if c.how != "none":
            continue
        own_clause = _has_own_attribution(masked, c)
        for j in range(i - 1, -1, -1):
            prev = cands[j]
            if prev.end > c.start or (prev.how == "none" and prev.ref is None):
                if prev.how == "none" and prev.ref is None:
                    break
                continue
            if prev.how == "asked":
                continue  # "…," Lee told CNN when asked which candidate she backs. "…": the question is not whom it floats to
            if prev.mention is None and prev.ref is None:
                break
            if (
                art.para_index(c.start) - art.para_index(prev.end - 1) <= 1
                and _starts_sentence(masked, art, c)
                and not own_clause
            ):
                c.how = "floating"
                c.ref = prev.ref if prev.ref is not None else j
            break
        if c.how == "none" and c.kind == "direct" and own_clause and _starts_sentence(masked, art, c):
            # "“…?” Novak fumed.": the short clause after the quote names its speaker, whatever the verb
            c.how = "own-clause"
            c.mention, c.cue = _own_clause_speaker(masked, art, c)


def resolve_speakers(art: Article, cands: list[Candidate]) -> list[Speaker]:
    """Speakers resolved within the article; floating quotes take their source's speaker when no other
    subject came between."""
    res = Resolver(art, cands)
    entities = res.run()
    for c in cands:
        if c.how == "floating" and c.ref is not None:
            src = cands[c.ref]
            others = [
                a for a in res.antecedents.antes if src.end <= a.pos < c.start and a.eid != src.speaker and a.subject
            ]
            if src.speaker is not None and not others:
                c.mention, c.cue, c.speaker = src.mention, src.cue, src.speaker
            elif src.speaker is None and (src.described or (src.mention and src.mention.kind == "name")) and not others:
                # whom the article names, even when no person was resolved: the card says "Unknown speaker: 'X'"
                c.mention, c.cue, c.described = src.mention, src.cue, src.described
            else:
                c.how = "none"
    return entities


def to_extraction(art: Article, cands: list[Candidate], entities: list[Speaker]) -> Extraction:
    """The Extraction: quotes in text order with their speakers, leaving out titles, handles and quoted
    passages with no cue and no speaker anywhere near."""
    masked = art.text
    quotes: list[ExtractedQuote] = []
    keep_ids: dict[int, int] = {}
    speakers: list[Speaker] = []
    for c in cands:
        if c.kind == "direct" and c.quotes:
            q0 = art.quotes[c.quotes[0]]
            inner = " ".join(art.quotes[qi].inner(masked) for qi in c.quotes)
            if not_a_quote(inner, c.how, q0.family) or (len(c.quotes) == 1 and named_work(masked, q0.start, inner)):
                continue
        if c.how == "embedded" and all(
            named_work(masked, art.quotes[qi].start, art.quotes[qi].inner(masked)) for qi in c.quotes
        ):
            continue  # 'said on “The Late Show”': a show's title is nobody's words (its speaker still counts above)
        if c.how == "label" and c.para == 0 and c.speaker is None and c.mention and c.mention.kind == "name":
            continue  # "Wow: The Mayor Just Answered …": a headline's kicker names no one
        if c.how == "none" or (c.mention is None and c.cue is None and c.how != "own-clause"):
            # a quoted passage with no cue and no speaker anywhere near is not reported as a quote
            continue
        sid = None
        if c.speaker is not None:
            if c.speaker not in keep_ids:
                keep_ids[c.speaker] = len(speakers)
                speakers.append(entities[c.speaker])
            sid = keep_ids[c.speaker]
        span_all = [*c.spans] + ([c.cue] if c.cue else []) + ([c.mention.span] if c.mention else [])
        quotes.append(
            ExtractedQuote(
                spans=list(c.spans),
                kind=c.kind,
                speaker=sid,
                speaker_span=c.mention.span if c.mention else None,
                cue_span=c.cue,
                context_span=(min(s for s, _ in span_all), max(e for _, e in span_all)),
                speaker_description=c.described if sid is None else None,
            )
        )
    return Extraction(quotes=quotes, speakers=speakers, version=EXTRACTOR_VERSION)


def assemble(masked: str, paras: list[Para]) -> Extraction:
    """All stages on one parsed article (masked text and its paragraphs with their Docs)."""
    art = Article(masked, paras)
    cands, used, link = reported_candidates(art)
    check()  # the article's time budget (app.quotes.budget), between stages
    cands.extend(embedded_candidates(art, used, link))
    direct = direct_candidates(art, used, link)
    check()
    cands = join_continuations(art, cands + merge_split_quotes(art, direct))
    cands = add_labelled(art, cands)
    float_quotes(art, cands)
    check()
    entities = resolve_speakers(art, cands)
    return to_extraction(art, cands, entities)
