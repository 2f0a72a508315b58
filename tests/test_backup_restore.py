"""A backup made by deploy/backup.sh restores into an empty database with nothing lost.

Runs only when DATABASE_URL points at PostgreSQL and the client tools are on PATH. It never
touches the database named in DATABASE_URL nor the test database pytest-django creates: it makes
two scratch databases of its own beside them (unique names), and drops both at the end.

1. scratch database "src": `manage.py setup --no-demo` (migrate + fixtures/*.json, as in
   production), `demo_progress --weeks 2` (reports, events, indicator values), `weekly_report`
   (a snapshot and its workbook under MEDIA_ROOT) and one attachment with a file;
2. `deploy/backup.sh` writes the dump, the media archive and checksums (and prunes an old file);
3. scratch database "dst", empty: `pg_restore --clean --if-exists --no-owner --no-acl
   --single-transaction --exit-on-error`, as docs/deploy.md says; the media archive is unpacked;
4. `manage.py migrate --check` finds nothing to apply on dst, and every table of the public
   schema has the same rows (count and an md5 over all row texts), every sequence the same
   position, the task and report texts the same checksum, and every media file the same bytes.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKUP_SCRIPT = ROOT / "deploy" / "backup.sh"
TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb", "tar", "sha256sum", "flock")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
IS_POSTGRES = urlsplit(DATABASE_URL).scheme.lower() in {"postgres", "postgresql", "pgsql"}
MISSING_TOOLS = [tool for tool in TOOLS if shutil.which(tool) is None]

pytestmark = [
    pytest.mark.skipif(
        not IS_POSTGRES, reason="DATABASE_URL does not point at PostgreSQL (pg_dump/pg_restore)"
    ),
    pytest.mark.skipif(
        bool(MISSING_TOOLS), reason=f"not on PATH: {', '.join(MISSING_TOOLS) or '-'}"
    ),
]

# Tables that must carry data for the comparison to mean anything.
MUST_HAVE_ROWS = (
    "departments_department",
    "tasks_plan",
    "tasks_task",
    "tasks_taskunit",
    "tasks_indicator",
    "tasks_progressreport",
    "tasks_reportevent",
    "tasks_indicatorvalue",
    "tasks_attachment",
    "reports_weeklysnapshot",
    "reports_snapshotrow",
    "auth_user",
)

ADD_ATTACHMENT = """
from django.core.files.base import ContentFile
from tasks.models import Attachment, ProgressReport

report = ProgressReport.objects.order_by("pk").first()
report.progress += "\\n备份测试：中文、emoji 🙂、'引号' 与 \\\\ 反斜杠"
report.save()
body = b"%PDF-1.4\\n% backup-restore test evidence\\n" + bytes(range(256)) * 64
attachment = Attachment(
    report=report,
    original_name="佐证材料（备份测试）.pdf",
    size=len(body),
    content_type="application/pdf",
    uploaded_by=report.created_by,
)
attachment.file.save("evidence.pdf", ContentFile(body), save=True)
print(attachment.file.name)
"""


def _url_for(name: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _libpq_env() -> dict[str, str]:
    """PG* variables for createdb/dropdb/pg_restore, from DATABASE_URL (the password stays off
    the command line)."""
    from config.env import database_from_url

    db = database_from_url(DATABASE_URL)
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db["HOST"]),
        ("PGPORT", db["PORT"]),
        ("PGUSER", db["USER"]),
        ("PGPASSWORD", db["PASSWORD"]),
    ):
        if value:
            env[key] = value
    env.pop("PGDATABASE", None)
    return env


def _run(args, *, env, cwd=ROOT, timeout=120) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
    )
    return result.stdout


def _manage(*args, env) -> str:
    return _run([sys.executable, ROOT / "manage.py", *args], env=env)


def _connect(name: str):
    import psycopg

    from config.env import database_from_url

    db = database_from_url(_url_for(name))
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    params = {key: value for key, value in params.items() if value}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(dbname=name, autocommit=True, **params)


def _fingerprint(name: str) -> dict:
    """Everything a restore must preserve, read from one database."""
    with _connect(name) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cur.fetchall()]
        rows = {}
        for table in tables:
            cur.execute(
                "SELECT count(*), "
                "md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\"), '')) "
                f'FROM (SELECT t::text AS r FROM public."{table}" t) s'
            )
            rows[table] = cur.fetchone()
        cur.execute(
            "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE schemaname = 'public' ORDER BY 1"
        )
        sequences = dict(cur.fetchall())
        cur.execute(
            "SELECT md5(string_agg(number || E'\\t' || text, E'\\n' ORDER BY id)) FROM tasks_task"
        )
        task_texts = cur.fetchone()[0]
        cur.execute(
            "SELECT md5(string_agg(concat_ws(E'\\t', progress, problems, next_steps, state, "
            "percent::text), E'\\n' ORDER BY id)) FROM tasks_progressreport"
        )
        report_texts = cur.fetchone()[0]
        cur.execute(
            "SELECT file FROM tasks_attachment UNION ALL "
            "SELECT file FROM reports_weeklysnapshot WHERE file <> '' ORDER BY 1"
        )
        files = [row[0] for row in cur.fetchall()]
    return {
        "tables": tables,
        "rows": rows,
        "sequences": sequences,
        "task_texts": task_texts,
        "report_texts": report_texts,
        "files": files,
    }


def _media_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


RESTORE_FLAGS = (
    "--clean",
    "--if-exists",
    "--no-owner",
    "--no-acl",
    "--single-transaction",
    "--exit-on-error",
)


def _restore_as_non_root(dump: Path, archive: Path, sums: Path, dst: str, libpq, token, into):
    """docs/deploy.md's restore steps, run as a non-root administrator.

    Production: the backups belong to the service user (0700 directory, 0600 files) and the
    administrator is not root; `sudo -u dudu` reads them. Here, as root, two throwaway accounts
    stand for them — a service user owning a copy of the backup, an administrator running
    the database client — and `runuser -u` stands for `sudo -u` (this machine has no sudo).
    Without root (or without useradd/runuser) the backup is restored directly, and the test
    says so. Returns the directory the media archive was unpacked into.
    """
    if os.geteuid() != 0 or not (shutil.which("useradd") and shutil.which("runuser")):
        pytest.skip("restoring as a non-root user needs root (useradd, runuser) to create one")
    service, admin = f"dudusvc{token[:6]}", f"duduadm{token[:6]}"
    users = []
    work = Path(tempfile.mkdtemp(prefix="dudu-restore-"))
    try:
        for user in (service, admin):
            _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
                 env=libpq)  # fmt: skip
            users.append(user)
        os.chmod(work, 0o755)
        backups = work / "backups"
        backups.mkdir(mode=0o700)
        for path in (dump, archive, sums):
            shutil.copy2(path, backups / path.name)
        media = work / "media"
        media.mkdir(mode=0o750)
        for path in (backups, media, *backups.iterdir()):
            shutil.chown(path, service, service)
        as_service, as_admin = ["runuser", "-u", service, "--"], ["runuser", "-u", admin, "--"]
        copy = backups / dump.name
        # What the old steps did: the database client cannot open the service user's file,
        # and the administrator cannot enter the backup directory.
        refused = subprocess.run([*as_admin, "pg_restore", "--list", str(copy)], env=libpq,
                                 capture_output=True, text=True)  # fmt: skip
        assert refused.returncode != 0 and "ermission denied" in refused.stderr
        assert subprocess.run([*as_admin, "ls", str(backups)], capture_output=True).returncode
        # 1. checksums, read by the service user
        _run([*as_service, "sh", "-c", 'cd "$1" && sha256sum --check --quiet "$2"', "_",
              str(backups), sums.name], env=libpq)  # fmt: skip
        # 4. the dump goes through a pipe: read by the service user, restored by the client
        reader = subprocess.Popen([*as_service, "cat", str(copy)], stdout=subprocess.PIPE)
        restore = subprocess.run(
            [*as_admin, "pg_restore", *RESTORE_FLAGS, f"--dbname={dst}"],
            stdin=reader.stdout, env=libpq, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        reader.stdout.close()
        assert reader.wait(timeout=60) == 0
        assert restore.returncode == 0, restore.stderr[-2000:]
        # 5. the media archive, unpacked by the service user into its own directory
        _run([*as_service, "tar", "-xzf", str(backups / archive.name), "-C", str(media)],
             env=libpq)  # fmt: skip
        shutil.copytree(media, into)
        return into
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for user in users:
            subprocess.run(["userdel", user], capture_output=True, timeout=30)


def test_backup_restores_into_an_empty_database_with_nothing_lost(tmp_path):
    started = time.monotonic()
    token = uuid.uuid4().hex[:10]
    src, dst = f"dudu_backup_src_{token}", f"dudu_backup_dst_{token}"
    libpq = _libpq_env()
    media = tmp_path / "media"
    backups = tmp_path / "backups"
    backups.mkdir()
    app_env = {
        **libpq,
        "DATABASE_URL": _url_for(src),
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEEKLY_ROLLUP_SCHEDULE": "disable",
    }
    app_env.pop("REDIS_URL", None)  # nothing here sends a message; keep Redis out of it
    created = []
    try:
        for name in (src, dst):
            _run(["createdb", "--encoding=UTF8", "--template=template0", name], env=libpq)
            created.append(name)

        # 1. a source database with plan data, reports, a snapshot and an attachment
        _manage("setup", "--no-demo", env=app_env)
        _manage("demo_progress", "--plan", "2022", "--weeks", "2", env=app_env)
        _manage(
            "weekly_report", "2022", "--week", "2022-W02", "--out", tmp_path / "w.xlsx", env=app_env
        )
        stored = _manage("shell", "-c", ADD_ATTACHMENT, env=app_env).strip().splitlines()[-1]
        assert (media / stored).is_file()

        # 2. the real backup script; an old backup is pruned, a foreign file is not
        old = backups / "dudu-20200101-000000.dump"
        foreign = backups / "notes.txt"
        for path in (old, foreign):
            path.write_text("old")
            os.utime(path, (time.time() - 40 * 86400,) * 2)
        backup_env = {
            **app_env,
            "BACKUP_DIR": str(backups),
            "BACKUP_KEEP_DAYS": "14",
            "BACKUP_KEEP_MIN": "1",
        }
        _run(["bash", BACKUP_SCRIPT], env=backup_env)
        dumps = sorted(backups.glob("dudu-*.dump"))
        archives = sorted(backups.glob("dudu-*-media.tar.gz"))
        sums = sorted(backups.glob("dudu-*.sha256"))
        assert len(dumps) == len(archives) == len(sums) == 1, sorted(os.listdir(backups))
        assert not old.exists() and foreign.exists()
        assert not list(backups.glob("*.partial"))
        assert dumps[0].stat().st_mode & 0o077 == 0, "a dump must not be readable by others"
        _run(["sha256sum", "--check", "--quiet", sums[0].name], env=libpq, cwd=backups)

        # 3. restore into the empty database and unpack the media elsewhere, the way
        #    docs/deploy.md says, as a non-root administrator (see _as_admin)
        restored_media = _restore_as_non_root(
            dumps[0], archives[0], sums[0], dst, libpq, token, tmp_path / "restored-media"
        )
        _manage("migrate", "--check", env={**app_env, "DATABASE_URL": _url_for(dst)})

        # 4. nothing lost
        before, after = _fingerprint(src), _fingerprint(dst)
        for table in MUST_HAVE_ROWS:
            assert before["rows"][table][0] > 0, f"{table} has no rows to compare"
        assert after["tables"] == before["tables"]
        changed = {t: (before["rows"][t], after["rows"][t]) for t in before["tables"]}
        changed = {t: pair for t, pair in changed.items() if pair[0] != pair[1]}
        assert not changed, f"tables differ after restore (count, md5): {changed}"
        assert after["sequences"] == before["sequences"]
        assert before["task_texts"] and after["task_texts"] == before["task_texts"]
        assert before["report_texts"] and after["report_texts"] == before["report_texts"]
        assert _media_digest(restored_media) == _media_digest(media)
        assert stored in after["files"]
        missing = [name for name in after["files"] if not (restored_media / name).is_file()]
        assert not missing, f"rows name files the archive lacks: {missing}"
    finally:
        for name in created:
            subprocess.run(
                ["dropdb", "--if-exists", "--force", name],
                env=libpq,
                capture_output=True,
                timeout=60,
            )
    assert time.monotonic() - started < 60, "the backup/restore test should stay under a minute"
