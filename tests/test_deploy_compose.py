"""compose.yaml: PostgreSQL, web, watcher and ingest workers from the one image, commands that exist."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_services_from_one_image_on_one_database():
    services = _compose()["services"]
    assert {"postgres", "migrate", "web", "watcher", "worker"} <= set(services)
    ours = {name: s for name, s in services.items() if name != "postgres"}
    assert {s["build"] for s in ours.values()} == {"."} and (ROOT / "Dockerfile").is_file()
    assert len({s["image"] for s in ours.values()}) == 1
    for name, s in ours.items():
        assert s["environment"]["DATABASE_URL"].startswith("postgresql://"), name
        assert "@postgres:5432/" in s["environment"]["DATABASE_URL"], name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "watcher", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["postgres"]["healthcheck"]["test"]


def test_commands_are_real_whosaid_commands():
    services = _compose()["services"]
    parser = build_parser()
    seen = {}
    for name in ("migrate", "web", "watcher", "worker"):
        command = services[name]["command"]
        assert command[0] == ".venv/bin/whosaid", name  # the Dockerfile's `make install` puts it there
        seen[name] = parser.parse_args(command[1:])
    assert seen["web"].workers >= 2 and seen["web"].host == "0.0.0.0"
    assert seen["worker"].concurrency >= 1 and services["worker"]["deploy"]["replicas"] >= 2
    assert seen["watcher"].command == "watch" and not seen["watcher"].once
