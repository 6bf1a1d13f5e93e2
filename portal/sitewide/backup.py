"""Backups of the database and the media files, and their restore.

One archive (tar.gz) holds the database, the media files and a manifest
(format, engine, migrations, a SHA-256 per member). PostgreSQL is dumped with
pg_dump's custom format and restored with pg_restore in one transaction;
SQLite is copied with SQLite's online backup API, which gives a consistent
copy while the site serves and restores into the open database the same way.

Restore checks the whole archive before it touches anything, and first backs
up what it is about to replace, so a wrong archive loses nothing.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from portal.core.cache import purge

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


def engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def pg_environment(alias="default"):
    """libpq's variables for the configured database: the password never goes on a command line."""
    config = connections[alias].settings_dict
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return env


def pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: postgresql-client)."
        )
    return path


def run_pg(command, alias):
    # The command is one of the PostgreSQL tools with arguments built here, never from input.
    result = subprocess.run(command, env=pg_environment(alias), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def dump_database(target, alias="default"):
    vendor = engine(alias)
    if vendor == "postgresql":
        # --no-owner/--no-acl: the restore may run as another role on another server.
        run_pg([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={target}"], alias)
    else:
        connection = connections[alias]
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
            # The live database runs in WAL mode; the archived file stands alone.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()


def load_database(source, alias="default"):
    vendor = engine(alias)
    connection = connections[alias]
    if vendor == "postgresql":
        # Our own session must not hold locks on the tables being replaced.
        connection.close()
        # The schema is emptied and refilled in one transaction: tables that a
        # later migration added do not survive, and any error rolls it all back.
        # The SQL is written out in full first: a dump that cannot be read
        # stops here, before psql has seen a single statement.
        script = Path(source).with_suffix(".sql")
        run_pg([pg_tool("pg_restore"), "--no-owner", "--no-acl", f"--file={script}", str(source)], alias)
        run_pg(
            [
                pg_tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
                f"--file={script}",
                f"--output={os.devnull}",
            ],
            alias,
        )
    else:
        connection.ensure_connection()
        # immutable: a WAL-mode file from an older archive opens read-only without its -shm beside it.
        origin = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()


def applied_migrations(alias="default"):
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(media_root):
    root = Path(media_root)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def create_backup(directory=None, *, alias="default", media_root=None, now=None):
    """Write an archive of the database and media; return its path."""
    vendor = engine(alias)
    directory = Path(directory or settings.BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"moroccotech-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="moroccotech-backup-") as scratch:
        dump = Path(scratch) / DUMP_NAMES[vendor]
        dump_database(dump, alias)
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": vendor,
            "migrations": applied_migrations(alias),
            "database": {"name": dump.name, "sha256": sha256(dump)},
            "media": {path.relative_to(media_root).as_posix(): sha256(path) for path in files},
        }
        partial = target.with_suffix(".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                for path in files:
                    archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
            # Only a complete archive ever carries the final name.
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def copy_off(archive, destination):
    """Copy an archive off the machine (to settings.BACKUP_COPY_TO, say); the copy's address.

    An S3-compatible bucket ("s3://bucket/prefix") or a folder mounted from another
    machine. The folder's copy is written under a temporary name and checked
    against the original's checksum before it takes the archive's name.
    """
    archive = Path(archive)
    if destination.startswith("s3://"):
        bucket, _, prefix = destination[len("s3://") :].partition("/")
        key = f"{prefix.strip('/')}/{archive.name}" if prefix.strip("/") else archive.name
        try:
            client = boto3.client("s3", endpoint_url=settings.BACKUP_S3_ENDPOINT_URL)
            client.upload_file(str(archive), bucket, key)
        except (BotoCoreError, ClientError) as error:
            raise BackupError(
                f"The archive {archive.name} could not be copied to {destination}: {error}"
            ) from None
        return f"s3://{bucket}/{key}"
    folder = Path(destination)
    target = folder / archive.name
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archive, partial)
        if sha256(partial) != sha256(archive):
            raise BackupError(f"The copy of {archive.name} in {folder} differs from the archive.")
        partial.replace(target)
    except OSError as error:
        raise BackupError(f"The archive {archive.name} could not be copied to {folder}: {error}") from None
    finally:
        with contextlib.suppress(OSError):  # nothing to remove where the folder could not be made
            partial.unlink(missing_ok=True)
    return str(target)


def prune(directory=None, keep=None):
    """Delete the oldest archives on the machine beyond `keep` (settings.BACKUP_KEEP); the deleted ones."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = keep if keep is not None else settings.BACKUP_KEEP
    # The names carry their UTC time: sorted by name is sorted by age.
    archives = sorted(directory.glob("moroccotech-*.tar.gz"))
    old = archives[: max(0, len(archives) - keep)]
    for path in old:
        path.unlink()
    return old


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def read_checked(archive_path, scratch, *, alias="default"):
    """Unpack the archive into scratch and verify it; return the manifest."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            # The "data" filter refuses absolute paths, "..", links out of the
            # tree and device files: an archive cannot write outside scratch.
            archive.extractall(scratch, filter="data")
    except FileNotFoundError:
        raise BackupError(f"No such backup: {archive_path}") from None
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive: {error}") from None
    scratch = Path(scratch)
    try:
        manifest = json.loads((scratch / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive_path} has no valid {MANIFEST}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is not a backup this version can restore (format {FORMAT} expected).")
    vendor = engine(alias)
    if manifest.get("engine") != vendor:
        raise BackupError(
            f"{archive_path} holds a {manifest.get('engine')} database; this site runs on {vendor}. "
            "Restore it on the same engine (use dumpdata/loaddata to move between engines)."
        )
    database = manifest.get("database") or {}
    if database.get("name") != DUMP_NAMES[vendor]:
        raise BackupError(f"{archive_path}: the manifest names no database dump.")
    expected = {database["name"]: database.get("sha256")}
    media = manifest.get("media") or {}
    expected.update({f"media/{name}": digest for name, digest in media.items()})
    for name, digest in expected.items():
        path = scratch / name
        if not path.is_file() or sha256(path) != digest:
            raise BackupError(f"{archive_path} is damaged: {name} is missing or does not match its checksum.")
    known = {f"{app}.{name}" for app, name in migration_names()}
    unknown = sorted(set(manifest.get("migrations") or []) - known)
    if unknown:
        raise BackupError(
            f"{archive_path} comes from a newer version of the portal (unknown migrations: "
            f"{', '.join(unknown[:5])}). Deploy that version first."
        )
    return manifest


def migration_names():
    return MigrationLoader(None, ignore_no_migrations=True).disk_migrations.keys()


def replace_media(unpacked, media_root):
    """Swap the media folder for the unpacked one, keeping the old one until the swap is done."""
    media_root = Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-incoming-", dir=media_root.parent))
    if unpacked.is_dir():
        shutil.copytree(unpacked, incoming, dirs_exist_ok=True)
    previous = media_root.with_name(f".{media_root.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if media_root.exists():
        media_root.rename(previous)
    incoming.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)


def restore_backup(archive_path, *, alias="default", media_root=None, safety_directory=None):
    """Restore an archive; return (manifest, path of the safety backup of what was replaced)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="moroccotech-restore-") as scratch:
        manifest = read_checked(archive_path, scratch, alias=alias)
        safety = create_backup(safety_directory, alias=alias, media_root=media_root)
        load_database(Path(scratch) / manifest["database"]["name"], alias)
        replace_media(Path(scratch) / "media", media_root)
    # The restored content reached the database without a signal: nothing cached before may be served.
    purge()
    return manifest, safety
