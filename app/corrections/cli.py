"""Subcommands of app.corrections (placeholder until implemented)."""


def register(sub) -> None:
    """Add this package's subcommands."""
