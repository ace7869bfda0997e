"""Who said a quotation: the attribution right after it, right before it, or the cue its fragment hangs from.

`attribution_after(art, qi)` reads `"…," he said` / `"…," said Mr. Smith` / `"…" ― Esther Tapia`;
`attribution_before(art, qi)` reads `Šimonytė replied: "…"` / `Still, he said, "…"`; each gives an
`Attribution` (the speaker mention, the cue, the paragraph) or None. `embedded(art, qi)` gives a partial
quote inside a sentence ("called Trump a “spoiled brat”") as a mixed candidate with the clause under its cue.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.quotes.article import Article, Attribution, Candidate, Mention, Para
from app.quotes.subjects import TOLD, make_mention, subject_of
from app.quotes.titles import named_work

if TYPE_CHECKING:  # spaCy loads only where text is extracted (app.quotes.pipeline); these are for the types
    from spacy.tokens import Token

NP_POS = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART", "PUNCT", "ADP", "CCONJ", "SPACE", "X"}
STOP_AFTER = {".", "!", "?"}
QUOTED_AS = {"saying", "telling", "writing", "asking"}  # "quoted Ann Hale as saying"
DASH_NAME = re.compile(r"\s*(?:―|—|–|--?)\s*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4})\.?\s*")
SENT_TERM_IN_QUOTE = re.compile(r"[.!?…][\"”»’']*\s*$")
SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…][\"”»’']*)\s*$", re.M)  # nothing, or a sentence's end, before a quotation


def embedded(art: Article, qi: int) -> Candidate | None:
    """A partial quote inside a sentence ("called Trump a “spoiled brat”"): the clause under its cue."""
    q = art.quotes[qi]
    if len(q.parts) != 1 or q.implicit_open:
        return None
    pi = art.para_index(q.start)
    p = art.paras[pi]
    doc = p.parsed_doc
    if doc is None:
        return None
    inside = art.tokens_between(p, q.start, q.end)
    prev = art.last_token_before(p, q.start)
    if not inside or prev is None:
        return None
    if prev.is_punct:
        return None  # the quote opens a clause of its own, not a fragment under a verb
    roots = [t for t in inside if not (q.start <= art.a(p, t.head) < q.end) or t.head.i == t.i]
    if not roots:
        return None
    v = roots[0].head if roots[0].head.i != roots[0].i else None
    for _ in range(6):
        if v is None or art.tok_in_quote(p, v):
            return None
        if art.is_cue(v) and v.pos_ in ("VERB", "AUX") and v.lower_ != "according":
            if v.lower_ in art.cues.plain:
                return None  # learnt for plain reported speech only (data/cues.txt "%" lines)
            break
        if v.head.i == v.i:
            return None
        v = v.head
    else:
        return None
    if any(c.dep_ == "ccomp" for c in v.children):
        return None  # reported() handles the clause
    right = [t for t in v.subtree if t.i > v.i]
    if not right:
        return None
    lo, hi = right[0].i, right[-1].i
    whats = [t for t in v.subtree if t.i < v.i and t.lower_ == "what" and t.dep_ in ("dobj", "oprd", "attr", "nsubj")]
    if whats:
        lo = whats[0].i  # "what she called a “rant”"
    anc = roots[0]
    while anc.head.i != v.i and anc.head.i != anc.i:
        anc = anc.head
    if anc.head.i == v.i:
        hi = max(anc.right_edge.i, max(t.i for t in inside))
    for t in right:  # the clause ends at the first comma after the quote
        if art.a(p, t) >= q.end and t.text in (",", ";", "—", "–", ":"):
            hi = t.i - 1
            break
    after = [t for t in right if art.a(p, t) >= q.end and t.i <= hi]
    if after and after[0].head.i == v.i:
        hi = max(t.i for t in inside)  # "called her a “disgrace” Wednesday on …": the adjunct is not said
    if art.a(p, doc[lo]) > q.start or art.z(p, doc[hi]) < q.end:
        return None
    spans = art.token_spans(p, doc, list(range(lo, hi + 1)))
    subj = subject_of(art, v, p)
    mention = make_mention(art, p, subj) if subj is not None else None
    return Candidate(
        spans=spans, kind="mixed", mention=mention, cue=art.cue_span(p, v), how="embedded", para=pi, quotes=[qi]
    )


def attribution_after(art: Article, qi: int) -> Attribution | None:
    """`"…," he said` / `"…," said Mr. Smith` / `"…," added the French head of state`."""
    q = art.quotes[qi]
    pi = art.para_index(q.end - 1)
    p = art.paras[pi]
    if not p.parsed:
        return None
    nxt = art.next_quote_start(q.end, qi)
    if nxt is not None and (k := art.quote_at(nxt)) is not None:
        title = art.quotes[k]
        if named_work(art.text, title.start, title.inner(art.text)):
            nxt = art.next_quote_start(title.end, qi)  # '“…,” 'Midnight Train' director Lee Park said'
    limit = p.end if nxt is None else min(p.end, nxt)
    toks = art.tokens_between(p, q.end, limit)[:20]
    last_part = art.text[q.parts[-1][0] : q.end]
    inner_end = SENT_TERM_IN_QUOTE.search(last_part) is not None
    closing = last_part.rstrip(" \"”’'»")  # the quotation's last words without its marks
    m = DASH_NAME.match(art.text, q.end, p.end)
    if m and m.end() == p.end:
        # “…” ― Esther Tapia   (a dash and a name closing the paragraph)
        name = m.group(1)
        if name.endswith(".") and len(name.split()[-1]) > 3:
            name = name[:-1]
        return Mention(m.start(1), m.start(1) + len(name), name, "name"), None, pi
    quoted = _quoted_as_saying(toks)
    if quoted is not None:
        speaker, cue = quoted
        mention = make_mention(art, p, speaker)
        return (mention, art.cue_span(p, cue), pi) if mention is not None else None
    for k, t in enumerate(toks):
        if t.text in STOP_AFTER:
            return None
        if art.is_cue(t, strong_only=True):
            before = toks[:k]
            if any(b.pos_ in ("VERB", "AUX") and not art.is_cue(b) for b in before):
                return None
            if any(b.lower_ in ("who", "which", "that", "when", "as", "because", "if") for b in before):
                return None
            listener = art.cues.lemma(t.lower_) in ("tell", "ask", "inform", "assure", "remind")
            told = art.cues.lemma(t.lower_) in TOLD  # "asked Senator X" asks
            if (
                inner_end
                and before
                and any(
                    (c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and not listener)) and c.i > t.i
                    for c in t.children
                )
            ):
                return None  # a new sentence with its own statement
            if (
                inner_end
                and not before
                and t.lower_ != "according"
                and not (t.text[:1].islower() and closing.endswith(("?", "!")))
            ):
                return None  # '"…?" asked Senator X' goes on the same sentence; '"…." Asked about …' does not
            subj = subject_of(art, t, p)
            if subj is not None and (art.a(p, subj) < q.end or art.tok_in_quote(p, subj)):
                subj = None
            if told and not before and (subj is None or subj.i > t.i):
                return None  # '"…," told CNN's Dana Cole': the one after "told" is spoken to, not the speaker
            if subj is None and before:
                names = [b for b in before if b.pos_ in ("PROPN", "PRON")]
                heads = [b for b in before if b.pos_ in ("NOUN",)]
                subj = _name_head(names[0]) if names else (heads[-1] if heads else None)
            if subj is None:
                subj = _inverted_subject(art, p, t)
            mention = make_mention(art, p, subj) if subj is not None else None
            if mention is None:
                return None
            return mention, art.cue_span(p, t), pi
        if t.pos_ not in NP_POS and not t.is_space:
            if t.pos_ in ("ADV",) and k < 3:
                continue
            if _manner_verb(t, toks[:k]) and closing.endswith(",") and _opens_sentence(art.text, p.start, q.start):
                subj = subject_of(art, t, p)
                mention = make_mention(art, p, subj) if subj is not None and subj in toks[:k] else None
                if mention is not None:
                    return mention, art.cue_span(p, t), pi  # '“…,” Bennett shot back with a laugh'
            return None
    return None


def _quoted_as_saying(toks: list[Token]) -> tuple[Token, Token] | None:
    """(speaker, cue) of '“…,” the paper quoted Mayor Ann Hale as saying' and '“…,” Hale is quoted as saying':
    the one quoted said it, not the outlet that quoted them."""
    q = next((t for t in toks[:6] if t.lower_ == "quoted"), None)
    if q is None or any(t.text in STOP_AFTER for t in toks if t.i < q.i):
        return None
    as_ = next((t for t in toks if q.i < t.i <= q.i + 12 and t.lower_ == "as"), None)
    if as_ is None or as_.i + 1 >= len(q.doc) or q.doc[as_.i + 1].lower_ not in QUOTED_AS:
        return None
    speaker = next((c for c in q.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if speaker is None or speaker.i > as_.i:
        return None
    return speaker, q.doc[as_.i + 1]


def _opens_sentence(text: str, para_start: int, start: int) -> bool:
    """True when the quotation at start opens its sentence (not a title or a term inside one)."""
    return SENTENCE_BEFORE.search(text, para_start, start) is not None


def _manner_verb(v: Token, before: list[Token]) -> bool:
    """'“…,” Bennett shot back', '“…,” she laughed': a verb no cue list holds, right after the bare name or
    pronoun that follows a quotation left open on a comma (not "Hale, who served …"), with no clause or object
    after it, reports the quotation."""
    return (
        v.pos_ == "VERB"
        and v.tag_ in ("VBD", "VBZ")
        and 0 < len(before) <= 4
        and before[-1].pos_ in ("PROPN", "PRON")
        and all(b.pos_ in ("PROPN", "PRON", "DET", "ADJ", "NOUN") and b.tag_ != "WP" for b in before)
        and not any(c.dep_ in ("ccomp", "xcomp", "dobj", "attr", "acomp", "oprd") for c in v.rights)
    )


def _name_head(t: Token) -> Token:
    """The last token of a run of proper nouns starting at t ("Ryan" → "Ellis" in "Ryan Ellis")."""
    doc = t.doc
    j = t.i
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and t.pos_ == "PROPN":
        j += 1
    return doc[j]


def _inverted_subject(art: Article, p: Para, v: Token) -> Token | None:
    """`said Mr. Smith`: the noun phrase right after the cue."""
    doc = v.doc
    cands = [
        c
        for c in v.children
        if c.i > v.i and c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "dative", "oprd", "appos", "nsubjpass")
    ]
    if cands:
        return cands[0]
    j = v.i + 1
    while j < len(doc) and doc[j].pos_ == "ADV":
        j += 1
    if j < len(doc) and doc[j].pos_ in ("PROPN", "NOUN", "DET", "ADJ"):
        k = j
        while (
            k + 1 < len(doc)
            and (doc[k + 1].pos_ in ("PROPN", "NOUN", "ADJ") or doc[k + 1].text == "-")
            and not art.tok_in_quote(p, doc[k + 1])
        ):
            k += 1
        h = doc[k].head
        if (
            doc[k].dep_ in ("nsubj", "nsubjpass")
            and h.dep_ == "ccomp"
            and h.head.i == v.i
            and h.i > k
            and h.tag_ != "VBG"
            and not any(x.is_punct for x in doc[k + 1 : h.i])
            and not art.tok_in_quote(p, h)
        ):
            return None  # "and said House Speaker Paul Ryan should resign": the subject of what was said
        return doc[k] if doc[k].pos_ in ("PROPN", "NOUN") else None
    return None


def _clause_verb(t: Token) -> Token | None:
    """The verb of the clause that token t stands in ("fired back forcefully" for "forcefully"), if near."""
    for _ in range(4):
        if t.pos_ == "VERB":
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def attribution_before(art: Article, qi: int) -> Attribution | None:
    """`Šimonite replied: "…"` / `Still, he said, "…"`."""
    q = art.quotes[qi]
    if q.implicit_open:
        return None
    pi = art.para_index(q.start)
    p = art.paras[pi]
    if not p.parsed:
        return None
    if (
        q.start == p.start
        and pi > 0
        and art.paras[pi - 1].parsed
        and art.text[: art.paras[pi - 1].end].rstrip().endswith(":")
    ):
        p = art.paras[pi - 1]  # He said:\n\n"We have a situation …"
        pi -= 1
    prev_end = art.prev_quote_end(p.start, q.start, qi)
    lo = p.start if prev_end is None else max(p.start, prev_end)
    toks = [t for t in art.tokens_between(p, lo, q.start) if art.z(p, t) <= q.start]
    if not toks:
        return None
    last = toks[-1]
    if not (last.text in (":", ",") or art.is_cue(last) or last.lower_ == "that"):
        return None
    verb = _clause_verb(toks[-2]) if last.text == ":" and len(toks) > 1 else None
    if (
        verb is not None
        and verb.i < last.i
        and not art.is_cue(verb)
        and not any(art.is_cue(a) and a.i < last.i for a in verb.ancestors)  # "said he hoped that Trump wins:"
    ):
        # "When Trump suggested …, Rubio fired back: “…”": the clause before the colon says who speaks
        subj = subject_of(art, verb, p)
        if subj is not None and (subj.ent_type_ == "PERSON" or subj.lower_ in ("he", "she")):
            return make_mention(art, p, subj), art.cue_span(p, verb), pi
    # stay within the sentence of the last token
    sent_start = last.sent.start
    toks = [t for t in toks if t.i >= sent_start] or toks[-8:]
    for t in reversed(toks):
        if art.is_cue(t, strong_only=True) or t.lower_ == "according":
            subj = subject_of(art, t, p)
            if subj is None and t.i + 1 < len(t.doc) and art.z(p, t) < q.start:
                subj = _inverted_subject(art, p, t)  # Said Ellis: "…"
            if subj is None or art.tok_in_quote(p, subj):
                return None
            return make_mention(art, p, subj), art.cue_span(p, t), pi
    return None
