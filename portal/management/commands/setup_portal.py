from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from events.setup import setup_events
from portal.sitewide.setup import ensure_search_index, setup_site

FIXTURE_ARTICLES = Path(settings.BASE_DIR) / "fixtures" / "articles"


class Command(BaseCommand):
    help = (
        "Build the French site tree (home, news and the sections whose apps exist) and import "
        "the fixture articles. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-import", action="store_true", help="Build the tree only; do not import fixtures."
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also load SAMPLE startups (fictitious, marked as such on their pages), for development.",
        )

    def handle(self, *args, **options):
        home, _sections = setup_site(log=lambda message: self.stdout.write(f"  {message}"), demo=options["demo"])
        self.stdout.write(f"Site tree ready: home at {home.url}")
        if not options["skip_import"]:
            self.stdout.write(f"Importing {FIXTURE_ARTICLES.relative_to(settings.BASE_DIR)}/ ...")
            call_command("import_articles", str(FIXTURE_ARTICLES), stdout=self.stdout, stderr=self.stderr)
        # After the articles, which the events link to.
        setup_events(log=lambda message: self.stdout.write(f"  {message}"))
        # Last: an upgrade's new word analysis reindexes what the steps above left as it was.
        ensure_search_index(log=lambda message: self.stdout.write(f"  {message}"))
