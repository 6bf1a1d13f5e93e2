"""Search indexing in bulk, for code that writes many pages at once (the importer, the content generator).

Both switch off the per-save index update while they write, then index
what they wrote here, in batches, in every configured search backend.
"""

from wagtail.search.backends import get_search_backends

BATCH = 500


def update_search_index(models_and_pages):
    """Index what was written, in bulk, in every search backend: [(model, pages), ...]."""
    backends = list(get_search_backends(with_auto_update=False))
    for model, objects in models_and_pages:
        ids = [obj.pk for obj in objects]
        for start in range(0, len(ids), BATCH):
            chunk = list(model.get_indexed_objects().filter(pk__in=ids[start : start + BATCH]))
            for backend in backends:
                backend.add_bulk(model, chunk)
