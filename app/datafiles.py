"""Reading the project's data files (word lists, tables): one line or one tab-separated row per entry,
`#` comments and blank lines left out. Imports no app module, so every stage can use it."""

from __future__ import annotations

from pathlib import Path


def read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a data file, stripped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def word_set(path: Path) -> frozenset[str]:
    """The lower-case words of a one-word-per-line data file."""
    return frozenset(w.lower() for w in read_lines(path))


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated data file (cells stripped), comments and blank lines left out."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append([c.strip() for c in line.split("\t")])  # a row may open on an empty cell
    return out
