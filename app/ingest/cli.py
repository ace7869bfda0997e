"""Subcommands of app.ingest (placeholder until implemented)."""


def register(sub) -> None:
    """Add this package's subcommands."""
