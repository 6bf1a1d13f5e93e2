from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.core.tasks import requeue_abandoned, worker_id


class Command(BaseCommand):
    help = (
        "Run the background tasks (django-tasks-db's db_worker), after putting back in the queue the "
        "tasks a dead worker left running. Run one or more per deployment, next to the web servers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Exit once the queue is empty.")
        parser.add_argument(
            "--backend", default="default", help="The task backend (settings.TASKS) whose queue to work."
        )
        # 0.2 s: a publish reaches the front caches (a ban task) within a quarter of a second;
        # an idle look is one indexed query, five a second per worker.
        parser.add_argument("--interval", type=float, default=0.2, help="Seconds between looks at an empty queue.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks.")
        parser.add_argument(
            "--requeue-only", action="store_true", help="Only put abandoned tasks back in the queue, then exit."
        )

    def handle(self, *args, **options):
        requeued = requeue_abandoned()
        if requeued and options["verbosity"]:
            self.stdout.write(f"Queued again {len(requeued)} task(s) a dead worker left running.")
        if options["requeue_only"]:
            return
        # No autoreloader (db_worker's default under DEBUG): it would run the tasks in a child
        # process whose id is not the one the queue records (portal.core.tasks.requeue_abandoned).
        worker_options = {
            "worker_id": worker_id(),
            "interval": options["interval"],
            "verbosity": options["verbosity"],
            "reload": False,
            "backend_name": options["backend"],
            # The random pause that spreads workers started together; pointless for a one-off run.
            "startup_delay": not options["batch"],
        }
        if options["batch"]:
            worker_options["batch"] = True
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
