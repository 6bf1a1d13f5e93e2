from django.core.management.base import BaseCommand, CommandError

from portal.tooling.generate import RealContentError, generate


def count(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Fill the French site with realistic, clearly fake content (titles end in “(fictif)”, slugs start "
        "with “fictif-”) for benchmarks and tests. Refuses a database holding real content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=count, default=0, help="News articles to create.")
        parser.add_argument("--events", type=count, default=0, help="Events to create.")
        parser.add_argument("--startups", type=count, default=0, help="Member startups to create.")
        parser.add_argument("--organisations", type=count, default=0, help="Organisations (snippets) to create.")
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed: the same seed gives the same content."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the fake content even though the database holds real content.",
        )

    def handle(self, *args, **options):
        try:
            summary = generate(
                articles=options["articles"],
                events=options["events"],
                startups=options["startups"],
                organisations=options["organisations"],
                seed=options["seed"],
                force=options["force"],
                log=lambda message: self.stdout.write(f"  {message}"),
            )
        except RealContentError as error:
            raise CommandError(str(error)) from error
        rate = summary.pages / summary.seconds if summary.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {summary.articles} articles, {summary.events} events, {summary.startups} startups, "
                f"{summary.organisations} organisations in {summary.seconds:.1f} s ({rate:.0f} pages/s)."
            )
        )
