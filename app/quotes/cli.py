"""Subcommands of app.quotes (placeholder until implemented)."""


def register(sub) -> None:
    """Add this package's subcommands."""
