from django.core.management.base import BaseCommand, CommandError

from portal.sitewide.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and media files with those of a backup archive. The archive is checked "
        "first (checksums, engine, migrations), and what it replaces is backed up before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args, archive, interactive, **options):
        if interactive:
            answer = input(f"Replace this site's database and media with {archive}? Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest, safety = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({len(manifest['media'])} media files)."
        )
        self.stdout.write(f"What it replaced is kept in {safety}")
        self.stdout.write("Run `python manage.py migrate` if the backup is older than this version.")
