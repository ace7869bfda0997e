"""Reported speech: the clause or object a cue verb reports, as indirect candidates with the speaker mention.

`reported_speech(art)` walks every parsed paragraph's cue verbs ("said that …", "urged supporters to …",
"criticized the plan as …", "according to X, …", "the plant is expected to …", "this was stated by X")
and returns a `Candidate` (kind "indirect", how "reported", "according", "passive" or "asked") for each
content it finds; app.quotes.assemble then takes in the quotations each one covers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.quotes.article import Article, Candidate
from app.quotes.cues import cue_roles
from app.quotes.subjects import TOLD, make_mention, subject_of

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Doc, Token

SUBJ = ("nsubj", "nsubjpass", "csubj")
NO_XCOMP = {"continue", "agree", "ask", "answer", "respond"}  # "continued to …", "agreed to …": not speech


def _reports_nothing(v: Token) -> bool:
    """ "did not say whether …", "declined to say how …", "didn't estimate how many …": a negated or
    refused cue whose clause is an open question reports no content ("did not say that …" does)."""
    roles = cue_roles()
    if not (any(c.dep_ == "neg" for c in v.children) or (v.dep_ == "xcomp" and v.head.lower_ in roles["refusal"])):
        return False
    return any(
        c.i > v.i and c.dep_ in ("ccomp", "advcl", "dobj", "xcomp") and c.left_edge.lower_ in roles["open_question"]
        for c in v.children
    )


def _asked_of(v: Token) -> bool:
    """ "Asked whether …", "when asked about …", "he was asked what …": a question put to someone by an
    asker the sentence does not name (no subject of its own, no "by" phrase)."""
    return (
        v.lower_ == "asked"
        and v.tag_ == "VBN"
        and not any(
            c.dep_ in ("nsubj", "agent") or (c.dep_ == "aux" and c.lower_ in ("has", "have", "had")) for c in v.children
        )
    )


_TRAIL_CLAUSE = {
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "while",
    "although",
    "though",
    "whereas",
    "something",
    "according",
    "but",
    "even",
}


def _cut_trailing(doc: Doc, idxs: list[int]) -> list[int]:
    """Drop a trailing ", which …" / " — something …" clause from a reported content."""
    for k, i in enumerate(idxs):
        if k >= 4 and doc[i].text in (",", "—", "–", ";") and i + 1 < len(doc) and doc[i + 1].lower_ in _TRAIL_CLAUSE:
            if _resumes_after(doc, i, idxs[k:]):
                continue  # "Gov. Ray Holt, who must decide, has said nothing": an aside, the content goes on
            return idxs[:k]
    return idxs


def _after_colon(doc: Doc, lo: int, cue: int) -> int:
    """Where a content before its cue starts: after a colon that opens a quotation ('McCaskill scolded him:
    “…,” she said' gives the quotation, not the sentence that introduced it)."""
    for k in range(cue - 1, lo - 1, -1):
        if doc[k].text == ":" and k + 1 < cue and doc[k + 1].is_quote:
            return k + 1
    return lo


def _resumes_after(doc: Doc, i: int, tail: list[int]) -> bool:
    """Whether the content goes on after the clause that starts right after doc[i] (a comma or dash)."""
    c = doc[i + 1]
    while c.head.i != c.i and c.head.i > i:
        c = c.head
    return any(j > c.right_edge.i and not doc[j].is_punct for j in tail)


def reported_speech(art: Article) -> list[Candidate]:
    """Reported speech: the clause under a cue verb, "according to X, …", passive "stated by X"."""
    out: list[Candidate] = []
    for pi, p in enumerate(art.paras):
        doc = p.parsed_doc
        if doc is None:
            continue
        for t in doc:
            if not art.is_cue(t) or art.tok_in_quote(p, t) or _reports_nothing(t):
                continue
            content_toks = None
            short_name = False
            how = "reported"
            if t.lower_ == "according":
                sent = t.sent
                excl = set(range(t.left_edge.i, t.right_edge.i + 1))
                to = doc[t.i + 1]
                excl |= set(range(to.left_edge.i, to.right_edge.i + 1)) | {to.i}
                content_toks = [x.i for x in sent if x.i not in excl]
                if content_toks and content_toks[0] < t.i and content_toks[-1] > to.right_edge.i:
                    # "A, according to X, B": keep both sides; "A, according to X." keeps A
                    pass
            else:
                comps = [c for c in t.children if c.dep_ == "ccomp" and _clause_head(c)]
                if not comps:
                    comps = _that_clause(t) or _gerund_subject_clause(t)
                xcomps = [
                    c
                    for c in t.children
                    if c.dep_ == "xcomp"
                    and c.i > t.i
                    and c.pos_ == "VERB"
                    and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
                ]
                if xcomps and not comps and art.is_cue(xcomps[0]) and _reports_nothing(xcomps[0]):
                    continue  # "declined to say whether …": the refusal reports nothing either
                objs = [o for o in t.children if o.dep_ in ("dobj", "dative") and xcomps and t.i < o.i < xcomps[0].i]
                passive = [c for c in t.children if c.dep_ == "nsubjpass" and c.i < t.i]
                if not comps and xcomps and passive and not any(c.dep_ == "agent" for c in t.children):
                    # "The plant is expected to close in May": what is expected, said or believed, by nobody
                    # the sentence names (the subject and the infinitive, without the cue)
                    x = xcomps[0]
                    s0 = passive[0]
                    content_toks = list(range(s0.left_edge.i, s0.right_edge.i + 1))
                    content_toks += _cut_trailing(doc, list(range(x.left_edge.i, x.right_edge.i + 1)))
                    how = "passive"
                elif (
                    not comps
                    and xcomps
                    and t.lower_ not in art.cues.weak
                    and (art.cues.lemma(t.lower_) not in NO_XCOMP or (objs and art.cues.lemma(t.lower_) == "ask"))
                ):
                    # "urged supporters to vote", "promised to cut taxes", "refused to hand over the files",
                    # "asked the board to resign" (the board is spoken to; the request is the content)
                    x = xcomps[0]
                    lo = objs[0].left_edge.i if objs else x.left_edge.i
                    content_toks = _cut_trailing(doc, list(range(lo, x.right_edge.i + 1)))
                elif not comps and t.lower_ in art.cues.objects and _has_subject(art, t):
                    content_toks = _object_content(t, to=t.lower_ in art.cues.learnt)
                    if content_toks:
                        content_toks = _cut_trailing(doc, content_toks)
                        short_name = all(doc[k].pos_ == "PROPN" or doc[k].text == "." for k in content_toks)
                elif comps:
                    c = comps[-1] if any(x.i > t.i for x in comps) else comps[0]
                    lo = c.left_edge.i if c.i < t.i else max(c.left_edge.i, t.i + 1)
                    if c.i < t.i:
                        lo = _after_colon(doc, lo, t.i)
                    if c.i > t.i and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children):
                        objs = [x for x in t.children if x.dep_ == "dobj" and t.i < x.i < lo]
                        if objs:  # "think the outreach … was phony": the subject landed on the cue
                            lo = objs[0].left_edge.i
                    content_toks = _cut_trailing(doc, list(range(lo, c.right_edge.i + 1)))
                elif (
                    t.dep_ == "parataxis"
                    and t.head.pos_ in ("VERB", "AUX")
                    and any(c.dep_ == "nsubj" for c in t.children)
                ):
                    h = t.head
                    excl = set(range(t.left_edge.i, t.right_edge.i + 1))
                    content_toks = _cut_trailing(doc, [x.i for x in h.subtree if x.i not in excl])
                elif any(c.dep_ == "nsubjpass" and c.lower_ in ("this", "that", "it") for c in t.children) and any(
                    c.dep_ == "agent" for c in t.children
                ):
                    # "This was stated by the Prime Minister …": the content is what came before
                    sent = t.sent
                    if sent.start > 0:
                        prev = doc[: sent.start]
                        content_toks = [x.i for x in prev]
            if not content_toks:
                continue
            if t.lower_ != "according":
                content_toks = _cut_next_cue(art, t, content_toks)
            spans = art.token_spans(p, doc, content_toks)
            if not spans:
                continue
            if t.lower_ in art.cues.plain and any(qs < e and s < qe for qs, qe, _ in art.qparts for s, e in spans):
                continue  # quoted words under a cue learnt for plain reported speech only
            words = sum(len(re.findall(r"\w+", art.text[s:e])) for s, e in spans)
            if words < 3 and not short_name:  # "endorsed Trump": a name as the object is enough
                continue
            if t.lower_ == "according":
                how = "according"
            subj = subject_of(art, t, p)
            if subj is not None and subj.i > t.i and art.cues.lemma(t.lower_) in TOLD:
                subj = None  # '"…," told CNN's Dana Cole': who comes after "told" is spoken to
            mention = make_mention(art, p, subj) if subj is not None else None
            if mention and any(s <= mention.start < e for s, e in spans):
                continue
            if _asked_of(t):  # "Asked whether …, Ryan said": Ryan answered, the asker is unnamed
                if any(art.is_cue(doc[k], strong_only=True) for k in content_toks):
                    continue  # "Asked why, Ryan replied: …": the answer is no part of the question
                mention, how = None, "asked"
            out.append(
                Candidate(spans=spans, kind="indirect", mention=mention, cue=art.cue_span(p, t), how=how, para=pi)
            )
    return out


def _gerund_subject_clause(v: Token) -> list[Token]:
    """ "said legalizing it could put thousands to work": the parser hung the clause under its gerund subject
    (an xcomp right after the cue, with the clause's verb as its ccomp); the gerund heads the content."""
    return [
        c
        for c in v.children
        if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == v.i + 1 and any(x.dep_ == "ccomp" for x in c.children)
    ]


def _clause_head(c: Token) -> bool:
    """A clause's head: a verb, or a word the tagger took for a noun that has a subject of its own
    ("said Obama's words and actions “amount to …”": "amount" tagged NOUN)."""
    return c.pos_ in ("VERB", "AUX") or any(x.dep_ in ("nsubj", "nsubjpass") and x.i < c.i for x in c.children)


def _has_subject(art: Article, v: Token) -> bool:
    """A subject of its own, or that of the cue it is joined to ("condemned the cuts but praised the
    mayor": the praise is the condemner's; "was not there and has opposed the plan" stays no report)."""
    if any(x.dep_ == "nsubj" for x in v.children):
        return True
    h = v.head
    if v.tag_ == "VBG" and v.dep_ == "advcl" and h.i < v.i and any(x.dep_ == "nsubj" for x in h.children):
        return True  # "Hale opposed the bill, citing its cost": the participle's subject is the sentence's
    return v.dep_ == "conj" and h.i < v.i and art.is_cue(h) and any(x.dep_ == "nsubj" for x in h.children)


def _cut_next_cue(art: Article, v: Token, idxs: list[int]) -> list[int]:
    """ "said the plan was dead and predicted that …": a second cue verb joined by "and"/"but" after the
    content, with no subject of its own, starts the same speaker's next statement; the content stops
    before the conjunction."""
    doc = v.doc
    for k, i in enumerate(idxs):
        x = doc[i]
        if k < 3 or i <= v.i or x.dep_ != "cc" or x.lower_ not in ("and", "but") or i + 1 >= len(doc):
            continue
        j = i + 1
        while j < len(doc) and doc[j].pos_ == "ADV":
            j += 1
        y = doc[j] if j < len(doc) else None
        if (
            y is not None
            and y.dep_ == "conj"
            and y.pos_ == "VERB"
            and art.is_cue(y)
            and not any(c.dep_ in SUBJ for c in y.children)
        ):
            return idxs[:k]
    return idxs


def _object_content(v: Token, to: bool = False) -> list[int] | None:
    """ "criticized the plan as costly", "called for talks": the object and what completes it; with `to`
    (object cues learnt from news) a "to" phrase right after the verb too ("referred to the plan as …")."""
    parts: list[Token] = []
    for c in v.children:
        if c.i < v.i:
            continue
        if (
            c.dep_ in ("dobj", "oprd", "xcomp", "ccomp")
            or (c.dep_ == "prep" and c.lower_ in ("for", "as", "of", "on"))
            or (to and not parts and c.dep_ == "prep" and c.lower_ == "to" and c.i == v.i + 1)
        ):
            parts.append(c)
        elif c.dep_ == "prt" and c.lower_ in ("for", "on"):
            continue
        elif parts:
            break
    if not parts:
        return None
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts)
    idx = list(range(lo, hi + 1))
    return idx if len(idx) >= 2 or v.doc[lo].pos_ == "PROPN" else None  # "endorsed Trump": a name alone


def _that_clause(v: Token) -> list[Token]:
    """A "that" clause the parser hung under a noun of the cue ("said in a statement that …")."""
    for x in v.subtree:
        if x.i <= v.i or x.pos_ not in ("VERB", "AUX") or x.dep_ not in ("acl", "relcl", "advcl"):
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in x.children):
            continue
        h = x.head
        while h.i != v.i and h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
            h = h.head
        if h.i == v.i:
            return [x]
    return []
