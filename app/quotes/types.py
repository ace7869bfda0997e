"""What extraction returns: quotes with spans into the article text, and the speakers they point to.

This is the contract between the extractor (app.quotes, app.text, app.people names/roles),
the ingest pipeline (app.ingest) and `whosaid extract` (JSONL). All offsets are Python
character offsets, end exclusive, into the exact text passed to the extractor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

Span = tuple[int, int]


@dataclass
class Speaker:
    """A speaker resolved within one article: a person or an organisation."""

    name: str  # canonical within the article: the fullest form, e.g. "Gabrielius Landsbergis"
    kind: str = "person"  # person | organisation
    role: str | None = None  # lower-case role, e.g. "foreign minister", "president", "secretary-general"
    country: str | None = None  # ISO 3166-1 alpha-2, e.g. "LT"
    organisation: str | None = None  # e.g. "NATO"
    variants: list[str] = field(default_factory=list)  # every surface form of the name seen in the article


@dataclass
class ExtractedQuote:
    """One quotation. `speaker` indexes Extraction.speakers; None means unknown speaker."""

    spans: list[Span]  # content spans, in order; several for a split quote
    kind: str  # direct | indirect | mixed
    speaker: int | None = None
    speaker_span: Span | None = None  # the mention in the text ("he", "the French president", "Landsbergis")
    cue_span: Span | None = None  # the reporting verb or phrase ("said", "according to")
    context_span: Span | None = None  # the sentence(s) holding the quote and its attribution
    speaker_description: str | None = None  # unknown speaker: who the article says spoke ("a company spokesman")

    def text(self, article_text: str) -> str:
        """The quote's words, parts joined by an ellipsis."""
        return " … ".join(article_text[s:e].strip() for s, e in self.spans)


@dataclass(frozen=True)
class Skipped:
    """A stretch of the article that extraction did not read, and why (e.g. "quote-mark flood")."""

    start: int
    end: int
    reason: str


@dataclass
class Extraction:
    """Everything extracted from one article."""

    quotes: list[ExtractedQuote]
    speakers: list[Speaker]
    version: str  # extractor version, stored with the article (reextract compares it)
    skipped: list[Skipped] = field(default_factory=list)  # stretches not read (no quote comes from them)

    def speaker_of(self, quote: ExtractedQuote) -> Speaker | None:
        """The resolved speaker of quote, or None when unknown."""
        return None if quote.speaker is None else self.speakers[quote.speaker]

    def to_eval_record(self, article: str) -> dict:
        """One line of the evaluation JSONL format (../shared/eval/README.md)."""
        out = []
        for q in self.quotes:
            sp = self.speaker_of(q)
            out.append(
                {
                    "content": [list(s) for s in q.spans],
                    "source": list(q.speaker_span) if q.speaker_span else None,
                    "cue": list(q.cue_span) if q.cue_span else None,
                    "kind": q.kind,
                    "speaker": sp.name if sp else None,
                    "speaker_description": q.speaker_description,
                }
            )
        return {"article": article, "quotes": out}

    def to_dict(self) -> dict:
        """Plain data (for passing between processes or dumping as JSON)."""
        return asdict(self)
