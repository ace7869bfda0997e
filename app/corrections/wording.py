"""How a correction reads for people: one line saying what it did (admin pages, the reextract summary).

Its own module so that app.corrections.service and app.corrections.apply both use it without
importing each other.
"""

from __future__ import annotations

from app.models import Correction


def describe(c: Correction) -> str:
    """One line for people: what the correction did."""
    p = c.payload or {}
    if c.action == "reassign":
        after = (p.get("after") or {}).get("name") or "unknown speaker"
        before = (p.get("before") or {}).get("name") or "unknown speaker"
        return f"Quote {c.target} reattributed from {before} to {after}"
    if c.action == "hide":
        return f"Quote {c.target} hidden: {(p.get('after') or {}).get('reason')}"
    if c.action == "merge":
        return f"{p.get('name')} merged into {p.get('into_name')}"
    if c.action == "split":
        return f"{', '.join(p.get('name_values', []))} split from {p.get('name')} into {p.get('new_name')}"
    if c.action == "rename":
        return f"{p['before']['name']} renamed to {p['after']['name']}"
    if c.action == "set_fields":
        return "; ".join(f"{f}: {p['before'].get(f) or '—'} → {v or '—'}" for f, v in p["after"].items())
    return c.action
