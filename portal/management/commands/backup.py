from django.core.management.base import BaseCommand, CommandError

from portal.sitewide.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive of the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) "
        "and the media files, with a manifest of checksums, to BACKUP_DIR (default var/backups/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="Folder for the archive (default: the BACKUP_DIR setting).")

    def handle(self, *args, **options):
        try:
            path = create_backup(options["output_dir"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
