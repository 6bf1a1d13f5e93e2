from django.core.management.base import BaseCommand

from brand.membership import freshness


class Command(BaseCommand):
    help = (
        "The member directory's daily round: queue the yearly reminder to each founder whose profile was "
        "verified more than a year ago, anonymise declined applications past their retention, and refresh "
        "the listings that leave stale profiles out. Run it once a day on one machine (the scheduler does); "
        "running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        log = self.stdout.write if options["verbosity"] else (lambda message: None)
        freshness.review(log=log)
