"""Listings whose counts and items come from the cache while content is unchanged.

Counting the matches of a listing (every live article in a language, the
startups in a sector) and sorting them are the largest queries of a page as
content grows, and their answers change only when content does: they are
cached until a page or record of a kind they read changes
(portal.routing.versioned), keyed by the query's SQL. A query that depends on the time must round it (to the
minute, say), or every request would make a new key.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from portal.routing import versioned


def cached_list(queryset, timeout=None):
    """list(queryset), from the cache while content is unchanged (keyed by its SQL and prefetches)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        return []
    parts = (queryset.model._meta.label, sql, repr(queryset._prefetch_related_lookups))
    extra = {"timeout": timeout} if timeout else {}
    return versioned("list", parts, lambda: list(queryset), **extra)


def cached_page(queryset, per_page, number, timeout=None):
    """The page `number` of a listing, its items read from the cache while content is unchanged.

    Keyed by the page's SQL (filters, order, slice) and the prefetches; the
    items keep what was prefetched and selected with them.
    """
    page = CachedCountPaginator(queryset, per_page).get_page(number)
    page.object_list = cached_list(page.object_list, timeout)
    return page


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql = str(query)
        except EmptyResultSet:  # .none(): nothing to count
            return 0
        return versioned(
            "count", (self.object_list.model._meta.label, sql), lambda: super(CachedCountPaginator, self).count
        )
