"""Serving speed on a realistic archive: `make bench-serve` (QUOTES=1000000, DB=postgresql://… optional).

Builds the archive once (app.web.benchdata, written at the schema before the listing work, then
migrated in place: the migration's time is printed), starts `whosaid serve --workers 1`, and prints for
each page p50/p95 latency and size, req/s at concurrency 8 and 32 (with any 5xx), full-export rows/s
with the server's memory growth, and the ingest rate of 1,000 new articles into the archive against an
empty database. The archive lives outside the repository (--dir, default /tmp/whosaid-bench) and is
reused while its size matches.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote as urlquote

import httpx
from sqlalchemy import text
from wordfreq import top_n_list

from app.db import make_engine, normalise_url, refresh_statistics, upgrade
from app.ingest.bench import _tree_rss
from app.ingest.bench import generate as generate_html
from app.web.benchdata import BASE_REVISION, Spec, generate
from app.web.cursor import encode

TARGETS = {"sqlite": 50.0, "postgresql": 100.0}  # p95 ms per listing
MAX_PAGE_KB = 100
MIN_EXPORT_ROWS = 50_000
MIN_INGEST_RATIO = 0.8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(args) -> tuple[str, str]:
    """(url, label); for PostgreSQL a schema of its own (whosaid_bench_N) in the given database."""
    if args.db:
        schema = f"whosaid_bench_{args.quotes}"
        admin = make_engine(args.db)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        admin.dispose()
        sep = "&" if "?" in args.db else "?"
        return f"{normalise_url(args.db)}{sep}options=-csearch_path%3D{schema}", "postgresql"
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'archive-{args.quotes}.db'}", "sqlite"


def _stored_quotes(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT value FROM setting WHERE key = 'bench_quotes'")).first()
            return int(row[0]) if row else 0
    except Exception:  # noqa: BLE001 - no such table yet: nothing stored
        return 0
    finally:
        engine.dispose()


MIGRATE_UP_TO = 1_000_000  # larger archives are written at the newest schema: migrating 10M rows takes most of an hour


def _drop_indexes(engine) -> list[str]:
    """PostgreSQL: drop the secondary indexes of quote and article for the bulk load; their definitions."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename IN ('quote', 'article') "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        ).all()
        for name, _definition in rows:
            conn.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in rows]


def _create_indexes(engine, definitions: list[str]) -> None:
    """Build the dropped indexes again, each in one pass over the loaded rows."""
    if not definitions:
        return
    start = time.monotonic()
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        for definition in definitions:
            conn.execute(text(definition))
    print(f"archive: {len(definitions)} indexes built in {time.monotonic() - start:.0f} s")


def build(url: str, quotes: int, at_head: bool | None = None) -> dict:
    """Generate the archive at the old schema, then time the in-place migration to the newest.

    at_head (default: past MIGRATE_UP_TO quotes) writes it at the newest schema instead, with no migration.
    """
    if _stored_quotes(url) == quotes:
        print(f"archive: reusing {quotes:,} quotes at {url.split('?')[0]}")
        start = time.monotonic()
        upgrade(url)  # migrations newer than the archive run in place
        print(f"archive: brought to the newest schema in {time.monotonic() - start:.1f} s")
        return {"reused": True}
    at_head = quotes > MIGRATE_UP_TO if at_head is None else at_head
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # the archive's own schema (see _database), emptied
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///") :] + suffix).unlink(missing_ok=True)
    revision = "head" if at_head else BASE_REVISION
    print(f"archive: generating {quotes:,} quotes at schema {revision} …")
    upgrade(url, revision)
    engine = make_engine(url)
    indexes = _drop_indexes(engine) if at_head else []
    facts = generate(engine, Spec(quotes), at_head=at_head)
    _create_indexes(engine, indexes)
    if at_head:
        refresh_statistics(engine)
    engine.dispose()
    if not at_head:
        start = time.monotonic()
        upgrade(url)
        facts["migration_s"] = time.monotonic() - start
        print(f"archive: migrating it in place to the newest schema took {facts['migration_s']:.1f} s")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('bench_quotes', :n)"), {"n": str(quotes)})
    engine.dispose()
    return facts


def targets(url: str) -> dict:
    """Real slugs, words and cursors from the archive for the pages to time."""
    engine = make_engine(url)
    with engine.connect() as conn:
        top = conn.execute(
            text("SELECT p.slug, p.name FROM person p JOIN quote q ON q.person_id = p.id WHERE p.id = 1 LIMIT 1")
        ).first()
        mid = conn.execute(text("SELECT slug, name FROM person WHERE id = 500")).first()
        deep = (
            conn.execute(
                text("SELECT listing_key, id FROM quote ORDER BY listing_key DESC, id DESC LIMIT 1 OFFSET 500000")
            ).first()
            or conn.execute(text("SELECT listing_key, id FROM quote ORDER BY listing_key LIMIT 1")).first()
        )
    engine.dispose()
    rare = [w for w in top_n_list("en", 30000) if w.isalpha()][20000]
    return {"top": top, "mid": mid, "deep": deep, "rare": rare}


def pages(t: dict) -> list[tuple[str, str]]:
    """(label, path) of every page the issue names."""

    top_slug, mid_slug = t["top"][0], t["mid"][0]
    surname = t["mid"][1].split()[-1]
    return [
        ("/quotes", "/quotes"),
        ("?person= (most quoted)", f"/quotes?person={top_slug}"),
        ("?person= (rarely quoted)", f"/quotes?person={mid_slug}"),
        ("?country=US", "/quotes?country=US"),
        ("?country=KE (rare)", "/quotes?country=KE"),
        ("one month", "/quotes?from=2025-03-01&to=2025-03-31"),
        ("country + month + kind", "/quotes?country=FR&from=2025-03-01&to=2025-03-31&kind=direct"),
        ("person + month", f"/quotes?person={top_slug}&from=2025-03-01&to=2025-03-31"),
        ("?q= common word", "/quotes?q=people"),
        ("?q= rare word", f"/quotes?q={t['rare']}"),
        ("?q= a person's name", f"/quotes?q={urlquote(surname)}"),
        ("?q= + country", "/quotes?q=people&country=GB"),
        ("?page=500", "/quotes?page=500"),
        ("deep cursor (500,000 in)", f"/quotes?before={encode(t['deep'][0], t['deep'][1])}"),
        (".json?limit=50", "/quotes.json?limit=50"),
        ("/people", "/people"),
        ("/people?q=", f"/people?q={urlquote(surname)}"),
        ("person typeahead", f"/suggest/people?person={urlquote(surname[:4])}"),
        ("/people.json?q=&limit=10", f"/people.json?q={urlquote(surname[:4])}&limit=10"),
        ("/people/{slug} (most quoted)", f"/people/{top_slug}"),
        ("/people/{slug} (rarely quoted)", f"/people/{mid_slug}"),
        ("/countries/FR", "/countries/FR"),
    ]


def time_pages(base: str, todo: list[tuple[str, str]], n: int) -> list[dict]:
    """p50/p95 latency (ms) and size (KB) of each page, warm, one request at a time; `first` is the page's
    first request, before the per-worker caches (app.web.cache) hold its count and same words."""
    out = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for label, path in todo:
            start = time.perf_counter()
            first = client.get(path)
            first_ms = (time.perf_counter() - start) * 1000
            client.get(path)
            times = []
            for _ in range(n):
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            out.append(
                {
                    "label": label,
                    "path": path,
                    "status": first.status_code,
                    "kb": len(first.content) / 1024,
                    "p50": statistics.median(times),
                    "p95": times[max(0, round(0.95 * len(times)) - 1)],
                    "first": first_ms,
                }
            )
    return out


def load(base: str, paths: list[str], concurrency: int, seconds: float) -> tuple[float, int, int]:
    """(req/s, requests, 5xx) with `concurrency` clients cycling through paths for `seconds`."""
    stop = time.monotonic() + seconds
    counts = {"n": 0, "5xx": 0}
    lock = threading.Lock()

    def client_loop(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            i = offset
            while time.monotonic() < stop:
                status = client.get(paths[i % len(paths)]).status_code
                i += 1
                with lock:
                    counts["n"] += 1
                    counts["5xx"] += status >= 500

    start = time.monotonic()
    with cf.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client_loop, range(concurrency)))
    return counts["n"] / (time.monotonic() - start), counts["n"], counts["5xx"]


def export_rate(base: str, path: str, server_pid: int) -> tuple[float, int, float]:
    """(rows/s, rows, server memory growth in MiB) for one full streamed export."""
    before = _tree_rss(server_pid)
    peak = before
    rows = 0
    start = time.monotonic()
    with httpx.Client(base_url=base, timeout=3600) as client, client.stream("GET", path) as r:
        for chunk in r.iter_bytes():
            rows += chunk.count(b"\n")
            peak = max(peak, _tree_rss(server_pid)) if rows % 50 == 0 else peak
    seconds = time.monotonic() - start
    return rows / seconds, rows, (peak - before) / 2**20


def ingest_ratio(url: str, label: str, workdir: Path, articles: int) -> tuple[float, float]:
    """(articles/s into an empty SQLite database, articles/s into a copy of the archive)."""
    folder = workdir / "html"
    generate_html(folder, articles, seed=99)
    rates = []
    targets_ = [f"sqlite:///{workdir / 'empty.db'}"]
    if label == "sqlite":
        copy = workdir / "archive-copy.db"
        shutil.copy(url[len("sqlite:///") :], copy)
        targets_.append(f"sqlite:///{copy}")
    else:
        targets_.append(url)
    for target in targets_:
        env = {**os.environ, "WHOSAID_DATABASE_URL": target}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env, check=True, capture_output=True)
        start = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "app.cli", "ingest", str(folder), "--jobs", "1", "--quiet"],
            env=env,
            check=True,
            capture_output=True,
        )
        rates.append(articles / (time.monotonic() - start))
    return rates[0], rates[1]


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=int(os.environ.get("QUOTES") or 1_000_000))
    parser.add_argument("--db", default=os.environ.get("DB") or None, help="postgresql://… (default: SQLite)")
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR") or "/tmp/whosaid-bench")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each concurrency run")
    parser.add_argument("--ingest-articles", type=int, default=1000, help="0 skips the ingest comparison")
    parser.add_argument(
        "--export-rows",
        type=int,
        default=int(os.environ.get("EXPORT_ROWS") or 0),
        help="stream only this many rows of each export (0: all of them)",
    )
    args = parser.parse_args(argv)

    url, label = _database(args)
    facts = build(url, args.quotes)
    t = targets(url)
    port = _free_port()
    env = {**os.environ, "WHOSAID_DATABASE_URL": url, "WHOSAID_BASE_URL": ""}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--workers", "1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/robots.txt", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        todo = pages(t)
        results = time_pages(base, todo, args.requests)
        limit = TARGETS[label]
        print(
            f"\nbench-serve: {args.quotes:,} quotes on {label}, one worker, warm; "
            f"{args.requests} requests per page ({os.cpu_count()} cores)"
        )
        if facts.get("migration_s"):
            print(f"migration of the existing archive to the newest schema: {facts['migration_s']:.1f} s")
        print(
            f"\n| page | status | first ms | p50 ms | p95 ms | KB | target p95 ≤ {limit:.0f} ms, ≤ {MAX_PAGE_KB} KB |"
        )
        print("|---|---|---|---|---|---|---|")
        for r in results:
            ok = r["status"] < 500 and r["p95"] <= limit and (r["kb"] <= MAX_PAGE_KB or ".json" in r["path"])
            print(
                f"| {r['label']} | {r['status']} | {r['first']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['kb']:.0f} "
                f"| {_mark(ok)} |"
            )
        mix = [p for _l, p in todo]
        print("\n| concurrency | req/s | requests | 5xx |")
        print("|---|---|---|---|")
        for c in (8, 32):
            rate, n, errors = load(base, mix, c, args.seconds)
            print(f"| {c} | {rate:.0f} | {n} | {errors} {'' if errors == 0 else '(MISSED)'} |")
        # Each export twice, like the pages: the first read finds the rows on disk (the archive is larger than
        # the database's cache), the second finds them where the first left them; the target is for the second.
        print(
            "\n| export | rows | first rows/s | warm rows/s | server memory growth MiB | target warm ≥ 50,000 rows/s |"
        )
        print("|---|---|---|---|---|---|")
        for path in ("/quotes.csv", "/quotes.json"):
            query = path + (f"?limit={args.export_rows}" if args.export_rows else "")
            first, rows, grew_first = export_rate(base, query, server.pid)
            rate, rows, grew = export_rate(base, query, server.pid)
            print(
                f"| {path} | {rows:,} | {first:,.0f} | {rate:,.0f} | {max(grew_first, grew):.0f} "
                f"| {_mark(rate >= MIN_EXPORT_ROWS)} |"
            )
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    if args.ingest_articles:
        with tempfile.TemporaryDirectory(prefix="whosaid-bench-ingest-") as tmp:
            empty, full = ingest_ratio(url, label, Path(tmp), args.ingest_articles)
        ratio = full / empty
        print(
            f"\ningest of {args.ingest_articles} new articles (--jobs 1): {empty:.1f} articles/s into an empty "
            f"database, {full:.1f} into the archive: {ratio:.0%} ({_mark(ratio >= MIN_INGEST_RATIO)}, "
            f"target ≥ {MIN_INGEST_RATIO:.0%})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
