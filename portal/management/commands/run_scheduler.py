import signal

from django.core.management.base import BaseCommand

from portal.sitewide import schedule


class Command(BaseCommand):
    help = (
        "Run the portal's timetable (portal/sitewide/schedule.py): scheduled publishing every minute, "
        "tasks of dead workers put back, the member directory's daily round, the daily backup where "
        "BACKUP_DAILY is on. One per deployment."
    )

    def handle(self, *args, **options):
        stopping = []
        # A stop (deploy, make stack-down) lets the current job finish.
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        if options["verbosity"]:
            self.stdout.write(
                "Scheduler running: "
                + ", ".join(f"{name} every {every} s" for every, name, _ in schedule.timetable())
            )
        schedule.run_forever(lambda: bool(stopping))
