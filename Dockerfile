# 督查台账 — one image for every role: web (gunicorn, the default CMD), Celery worker, beat, the
# one-shot migrate/setup and the backup job; docker-compose.yml picks the command.
#
#   docker build -t dudu-app .
#
# bookworm, not the moving "slim" tag: its postgresql-client is 15, the same major version as
# the postgres:15 service, so deploy/backup.sh (pg_dump) inside this image matches the server.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/dudu \
    MEDIA_ROOT=/var/lib/dudu/media \
    STATIC_ROOT=/app/staticfiles

# pg_dump/pg_restore for deploy/backup.sh; nothing needs a compiler (psycopg[binary] is a wheel).
# Not version-pinned: Debian security updates replace old versions in the archive.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid, so host directories (e.g. the backup target) can be chowned to it: 10001.
RUN groupadd --system --gid 10001 dudu \
    && useradd --system --uid 10001 --gid dudu --home-dir /var/lib/dudu --no-create-home \
        --shell /usr/sbin/nologin dudu

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code and the collected static files stay root-owned: the app cannot change them.
COPY . .
# collectstatic needs production settings (DEBUG=0 → the manifest storage whitenoise serves)
# and therefore a SECRET_KEY; this throwaway one exists only in this RUN step and is never used
# at run time (the real one comes from the environment).
RUN DEBUG=0 \
    SECRET_KEY="build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef" \
    VAR_DIR=/tmp/build-var \
    DATABASE_URL=sqlite:////tmp/build-var/unused.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-var \
    && python -m compileall -q /app \
    && install -d -o dudu -g dudu -m 0750 /var/lib/dudu /var/lib/dudu/media /var/lib/dudu/beat

USER 10001:10001
EXPOSE 8000
# Workers: WEB_CONCURRENCY (gunicorn reads it; cores + 1, see deploy/env.example). Behind nginx,
# which buffers uploads, so sync workers are right. No control socket: its default lives in $HOME.
# A worker is replaced after 20,000 (± 2,000) requests, against slow leaks: a new one starts cold
# (imports, templates, remembered figures), and at 2,000 that happened every ~20 s per worker under
# full load, which cost a sixth of the capacity (benchmarks/README.md).
CMD ["gunicorn", "config.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--timeout", "120", \
     "--graceful-timeout", "30", \
     "--max-requests", "20000", \
     "--max-requests-jitter", "2000", \
     "--no-control-socket"]
