import json
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from portal.news.importers.articles import ImportSetupError, import_paths

# A progress line on runs long enough to wait for, every so many files.
PROGRESS_FROM_FILES = 20
PROGRESS_EVERY = 10


class Command(BaseCommand):
    help = (
        "Import press articles (files or directories of .txt and saved .html pages) as news pages, "
        "each in the news section of its language. Idempotent: unchanged files are skipped, changed "
        "ones update their page. An article whose title, date, source or language cannot be "
        "established is created as a draft marked “to check”; only files with no article text are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Article files and/or directories of them.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument(
            "--format", choices=["text", "json"], default="text",
            help="json: stdout carries only a JSON list, one object per file; logs go to stderr.",
        )  # fmt: skip
        parser.add_argument("--draft", action="store_true", help="Save as drafts instead of publishing.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite pages edited in the admin since their import."
        )
        parser.add_argument("--manifest", help="Manifest file (default: manifest.yaml beside each file).")
        parser.add_argument("--user", help="Username the revisions are attributed to (default: the system).")

    # The report is English whatever the site's language: scripts read it.
    @no_translations
    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        self.started = time.monotonic()
        try:
            summary = import_paths(
                options["paths"],
                manifest_path=options["manifest"],
                dry_run=options["dry_run"],
                publish=not options["draft"],
                force=options["force"],
                user=user,
                progress=self.progress if self.verbosity >= 1 else None,
            )
        except ImportSetupError as error:
            raise CommandError(str(error)) from error

        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_json() for r in summary.results], ensure_ascii=False, indent=2))
        else:
            for result in summary.results:
                # Verbosity 0: the failures and the summary only.
                if self.verbosity >= 1 or result.status == "failed":
                    self.stdout.write(self.describe(result))
            self.stdout.write(
                f"{len(summary.results)} file(s): {summary.created} created, {summary.updated} updated, "
                f"{summary.skipped} skipped, {summary.failed} failed"
                + (f", {summary.to_check} to check (drafts)" if summary.to_check else "")
                + (" (dry run: nothing written)" if options["dry_run"] else "")
            )
        if summary.failed:
            raise CommandError(f"{summary.failed} file(s) could not be imported.")

    def progress(self, done, total):
        """Files done / total and the rate, on stderr (stdout may be the JSON report)."""
        if total < PROGRESS_FROM_FILES and self.verbosity < 2:
            return
        if done % PROGRESS_EVERY and done != total:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.stderr.write(f"{done}/{total} files ({done / elapsed:.1f} files/s)")

    def describe(self, result):
        line = f"{result.status:<15} {result.name}"
        if result.status == "failed":
            return self.style.ERROR(f"{line}: {result.reason}")
        details = []
        if result.reason:
            details.append(result.reason)
        if result.page is not None and result.page.live:
            details.append(result.page.url or "")
        if result.needs_review:
            details.append("to check (draft)")
        if result.language and self.verbosity >= 2:
            details.append(f"language: {result.language}")
        if result.from_manifest:
            details.append("from manifest: " + ", ".join(result.from_manifest))
        details.extend(str(note) for note in result.notes)
        text = f"{line}  " + "; ".join(d for d in details if d)
        return self.style.WARNING(text) if result.status == "skipped" or result.needs_review else text
