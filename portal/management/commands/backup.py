from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.sitewide.backup import BackupError, copy_off, create_backup, prune


class Command(BaseCommand):
    help = (
        "Write one archive of the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) "
        "and the media files, with a manifest of checksums, to BACKUP_DIR (default var/backups/); "
        "copy it off the machine (BACKUP_COPY_TO) and keep the BACKUP_KEEP newest ones here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="Folder for the archive (default: the BACKUP_DIR setting).")
        parser.add_argument(
            "--copy-to",
            default=None,
            help="Also copy it there: s3://bucket/prefix or an absolute folder (default: BACKUP_COPY_TO).",
        )

    def handle(self, *args, **options):
        destination = options["copy_to"] if options["copy_to"] is not None else settings.BACKUP_COPY_TO
        try:
            path = create_backup(options["output_dir"])
            copy = copy_off(path, destination) if destination else None
        except BackupError as error:
            raise CommandError(str(error)) from None
        # Old archives go only once the new one is safe elsewhere too (or nowhere else is set).
        removed = prune(path.parent)
        if options["verbosity"] > 1:
            for old in removed:
                self.stderr.write(f"removed the older archive {old.name}")
        if copy:
            self.stderr.write(f"copied to {copy}")
        elif options["verbosity"]:
            self.stderr.write("not copied off this machine: set BACKUP_COPY_TO (docs/deployment.md, Backups)")
        self.stdout.write(str(path))
