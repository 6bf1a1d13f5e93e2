"""The news section's background work (portal.core.tasks): the admin's imports."""

from portal.core.tasks import retried
from portal.news import import_batches


@retried
def read_import_batch(batch_id):
    """The preview of an uploaded batch (portal.news.import_batches.read)."""
    return import_batches.read(batch_id)


@retried
def write_import_batch(batch_id):
    """The drafts of a confirmed batch (portal.news.import_batches.write)."""
    return import_batches.write(batch_id)
