"""One article's time budget that any thread keeps: extraction checks it between parsed windows and
between its stages, so a worker thread (where no SIGALRM reaches) still gives up on an article that
takes too long. The caller sets it with `deadline(seconds)` and catches OverBudget."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_local = threading.local()


class OverBudget(BaseException):  # not an Exception: "keep the article, retry later" handlers must let it through
    """The article being extracted went over its time budget."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within the block, check() raises OverBudget once `seconds` have passed (0: no budget)."""
    previous = getattr(_local, "until", None)
    _local.until = time.monotonic() + seconds if seconds else None
    try:
        yield
    finally:
        _local.until = previous


def check() -> None:
    """Raise OverBudget when this thread's article is over its budget."""
    until = getattr(_local, "until", None)
    if until is not None and time.monotonic() > until:
        raise OverBudget()


def checked(items: Iterable[T]) -> Iterator[T]:
    """items, checking the budget after each (for the parser's stream of Docs)."""
    for item in items:
        yield item
        check()
