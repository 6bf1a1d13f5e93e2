from django.core.management.base import BaseCommand

from portal.core.cache import purge


class Command(BaseCommand):
    help = (
        "Drop every cached page, fragment, route and listing on every app server, so that visitors see "
        "the database as it is now. restore, import_articles, generate_content, setup_portal and migrate "
        "do it themselves; run it after any change made to the database by other means."
    )

    def handle(self, *args, **options):
        purge()
        if options["verbosity"]:
            self.stdout.write("Caches dropped: the next visit of every page is rendered from the database.")
