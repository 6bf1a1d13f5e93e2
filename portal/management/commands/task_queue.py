import json

from django.core.management.base import BaseCommand, CommandError

from portal.core.tasks import queue_state

LABELS = {
    "waiting": "tasks due and waiting for a worker",
    "oldest_wait_seconds": "seconds the oldest of them has waited",
    "later": "retries not yet due",
    "running": "tasks running",
    "failed_last_day": "failed attempts over the last 24 hours",
}


class Command(BaseCommand):
    help = (
        "The background-task queue at a glance, for monitoring: tasks waiting and for how long, running, "
        "failed over the last day. Exits with an error when a task has waited longer than --max-wait "
        "(no worker running, or too few)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--max-wait",
            type=float,
            default=300.0,
            help="Seconds a due task may wait before this command reports a problem (default 300).",
        )

    def handle(self, *args, **options):
        state = queue_state()
        if options["format"] == "json":
            self.stdout.write(json.dumps(state))
        else:
            for key, label in LABELS.items():
                self.stdout.write(f"{state[key]:>10g}  {label}")
        if state["oldest_wait_seconds"] > options["max_wait"]:
            raise CommandError(
                f"a task has waited {state['oldest_wait_seconds']:.0f} s (more than {options['max_wait']:.0f} s): "
                "is `manage.py run_worker` running, and are there enough of them?"
            )
