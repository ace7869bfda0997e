"""Alembic environment: the URL comes from app.db (DATABASE_URL), batch mode on SQLite."""

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.config import get_settings
from app.db import make_engine, normalise_url

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or normalise_url(get_settings().database_url)


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    url = _url()
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=url.startswith("sqlite")
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on a live connection."""
    url = _url()
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite")
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
