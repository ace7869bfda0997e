"""Settings from the environment (one pydantic-settings class)."""

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting Whosaid reads; environment variables override defaults."""

    model_config = SettingsConfigDict(env_prefix="WHOSAID_", extra="ignore")

    database_url: str = "sqlite:///whosaid.db"
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""  # public origin for canonical links, e.g. https://whosaid.example; empty = request origin
    allowed_hosts: str = ""  # Host names served, comma-separated; empty = WHOSAID_HOST and localhost (app.web.security)
    allow_private_urls: bool = False
    secret_key: str = ""  # signs session cookies; generated and stored in the DB when empty
    cache_dir: str = ".cache/whosaid"
    secure_cookies: bool = False  # set to 1 behind HTTPS
    workers: int = 0  # web server processes; 0 = one per core
    db_pool_size: int = 20  # database connections per web process; also caps its request threads
    max_bytes: int = 5 * 1024 * 1024  # ingest: largest page fetched or local file read (bytes)
    article_seconds: float = 60.0  # ingest: time budget of one article (reading and extraction); 0 = none
    worker_heartbeat: float = 10.0  # seconds between a queue worker's heartbeats (PostgreSQL job queue)
    worker_stalled_after: float = 30.0  # a worker silent this long is dead: its running job goes to another
    job_attempts: int = 3  # a queued job that fails this many times is kept as failed (`whosaid jobs failed`)
    job_retry_wait: int = 10  # seconds before the first retry of a failed job; 2x before the second, ...
    queue_batch: int = 5  # articles (files, archive rows) per queued ingest job: the queue's cost per job is shared
    eval_dir: str = (
        ""  # `make eval` / `make eval-html`: the shared gold data; empty = ../shared/eval beside the checkout
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; DATABASE_URL (unprefixed) is honoured too."""
    settings = Settings()
    if os.environ.get("DATABASE_URL") and not os.environ.get("WHOSAID_DATABASE_URL"):
        settings.database_url = os.environ["DATABASE_URL"]
    return settings


ROOT = Path(__file__).resolve().parents[1]  # the checkout: pyproject.toml, tests/, seeds/


def eval_dir() -> Path:
    """The shared evaluation data (PolNeAR, article-extraction and their scorers): WHOSAID_EVAL_DIR or ../shared/eval."""
    return Path(get_settings().eval_dir or ROOT.parent / "shared" / "eval")
