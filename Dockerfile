# Whosaid in a container: the same pinned install as `make run`, serving on 0.0.0.0:8000.
# Run it with WHOSAID_BASE_URL (or WHOSAID_ALLOWED_HOSTS) set to the public name: other Hosts get 400.
# (No Docker engine runs on the development machines; this file is for deployment.)
FROM python:3.11-slim-bookworm

WORKDIR /srv/whosaid
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    WHOSAID_HOST=0.0.0.0 WHOSAID_PORT=8000 \
    DATABASE_URL=sqlite:////data/whosaid.db
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*

COPY requirements.txt requirements-dev.txt requirements-model.txt constraints.txt pyproject.toml Makefile README.md ./
COPY app ./app
RUN make install
COPY . .

RUN useradd --system --home /srv/whosaid whosaid && mkdir -p /data && chown whosaid /data
USER whosaid
VOLUME ["/data"]
EXPOSE 8000
CMD ["/bin/sh", "-c", ".venv/bin/whosaid ingest seeds/ && exec .venv/bin/whosaid serve"]
