"""An admin import's batch, from the upload to the drafts, worked by the task worker.

The admin (portal.news.admin_import) stages the uploaded files and queues
`read`; the editor looks at the preview it wrote and confirms; `write` then
creates the drafts. Both run import_paths, the import_articles command's code
path, on the files written to a private temporary directory, and record their
progress on the batch so that the editor's page can show it.

Each step may run twice (a worker killed mid-step is queued again: portal.core.tasks):
reading writes nothing, and writing again finds the drafts already written
(the importer recognises a file it imported) and leaves them as they are.
"""

import logging
import tempfile
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation

from portal.news.importers.articles import ImportSetupError, import_paths
from portal.news.models import ArticleImportBatch, ArticleUpload

logger = logging.getLogger(__name__)

STAGED_FOR = timedelta(days=1)
# Progress written to the batch at most this often, in files (one UPDATE each time).
PROGRESS_EVERY = 5


def stage(user, items):
    """Keep the files of a batch until the editor confirms it; forget abandoned batches. The batch."""
    forgotten = timezone.now() - STAGED_FOR
    # A batch being written keeps its files, however old: its task may still need them.
    writing = ArticleImportBatch.objects.filter(status=ArticleImportBatch.Status.IMPORTING).values("pk")
    ArticleUpload.objects.filter(uploaded_at__lt=forgotten).exclude(batch__in=writing).delete()
    ArticleImportBatch.objects.filter(created_at__lt=forgotten).exclude(
        status=ArticleImportBatch.Status.IMPORTING
    ).delete()
    with transaction.atomic():
        batch = ArticleImportBatch.objects.create(id=uuid.uuid4(), user=user, files=len(items))
        ArticleUpload.objects.bulk_create(
            ArticleUpload(batch=batch.pk, user=user, name=name, data=data) for name, data in items
        )
    return batch


@contextmanager
def staged_directory(batch):
    """The batch's files, written to a private temporary directory for import_paths."""
    with tempfile.TemporaryDirectory(prefix="article-import-") as directory:
        for upload in ArticleUpload.objects.filter(batch=batch.pk).iterator():
            (Path(directory) / upload.name).write_bytes(bytes(upload.data))
        yield Path(directory)


def existing_page(result):
    """The article already in the portal that this file would update or leaves alone."""
    if result.page is not None and result.status.removeprefix("would-") in ("updated", "unchanged", "skipped"):
        return {"pk": result.page.pk, "title": result.page.title}
    return None


def preview_entry(result):
    """What the preview shows of one file (its text's blocks counted, not kept)."""
    report = result.as_json()
    report["blocks"] = len(report.pop("body")) + 1  # with the standfirst
    return {"report": report, "existing": existing_page(result), "reason": str(result.reason or "")}


def recorder(batch):
    def progress(done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            ArticleImportBatch.objects.filter(pk=batch.pk).update(done=done)

    return progress


def editor_language(user):
    """The notes are written in the language of the editor's admin, as the request would have."""
    profile = getattr(user, "wagtail_userprofile", None)
    return profile.get_preferred_language() if profile is not None else translation.get_language()


def run_step(batch_id, step):
    batch = ArticleImportBatch.objects.select_related("user").filter(pk=batch_id).first()
    if batch is None:
        logger.warning("import batch %s is gone (purged after a day?)", batch_id)
        return None
    with translation.override(editor_language(batch.user)):
        try:
            return step(batch)
        except ImportSetupError as error:
            # The site itself is not ready (no news section): no retry will help.
            batch.status, batch.error = ArticleImportBatch.Status.FAILED, str(error)
            batch.save(update_fields=["status", "error"])
            return None
        except Exception as error:
            # Tried again later (portal.core.tasks.retried); meanwhile the editor's page says so.
            ArticleImportBatch.objects.filter(pk=batch.pk).update(error=f"{type(error).__name__}: {error}"[:500])
            raise


def read(batch_id):
    """The preview: what importing the batch would do, file by file; nothing written but the batch."""

    def step(batch):
        with staged_directory(batch) as directory:
            summary = import_paths(
                [directory], dry_run=True, publish=False, user=batch.user, origin="admin", progress=recorder(batch)
            )
        batch.preview = [preview_entry(result) for result in summary.results]
        batch.status, batch.done = ArticleImportBatch.Status.READ, len(summary.results)
        batch.save(update_fields=["preview", "status", "done"])
        return batch.status

    return run_step(batch_id, step)


def confirm(batch, user):
    """The editor's "create": True if this request moved the batch on (a second click does not)."""
    claimed = ArticleImportBatch.objects.filter(
        pk=batch.pk, user=user, status=ArticleImportBatch.Status.READ
    ).update(status=ArticleImportBatch.Status.IMPORTING, done=0)
    return bool(claimed)


def write(batch_id):
    """The drafts, then the import record; the staged files are deleted once written."""

    def step(batch):
        with staged_directory(batch) as directory:
            summary = import_paths(
                [directory], publish=False, user=batch.user, origin="admin", progress=recorder(batch)
            )
        with transaction.atomic():
            batch.run, batch.done = summary.run, len(summary.results)
            batch.status = ArticleImportBatch.Status.DONE
            batch.save(update_fields=["run", "done", "status"])
            ArticleUpload.objects.filter(batch=batch.pk).delete()
        return summary.created + summary.updated

    return run_step(batch_id, step)
