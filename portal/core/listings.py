"""Index pages that list their pages with filters, and offer the same selection as CSV.

The startup directory and the events section both read filters from the
query string (strictly: an unknown value is no filter, never an error),
apply them, keep them in pagination links, and export what matches. A page
type declares its `filters` and `csv_columns`; this module does the rest.
"""

from django.utils.http import urlencode
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from portal.core.csv_export import csv_response
from portal.core.query_params import clean_param


class Filter:
    """One query-string parameter of a listing.

    `lookup` is a field lookup (``"sectors__slug"``) or a function
    (queryset, value) -> queryset; `allowed` the values accepted (others
    read as no filter), or a function value -> bool.
    """

    def __init__(self, name, lookup, max_length=100, allowed=None):
        self.name = name
        self.lookup = lookup
        self.max_length = max_length
        self.allowed = allowed

    def read(self, request):
        value = clean_param(request, self.name, self.max_length)
        if value and self.allowed is not None:
            accepted = self.allowed(value) if callable(self.allowed) else value in self.allowed
            if not accepted:
                return ""
        return value

    def apply(self, queryset, value):
        if callable(self.lookup):
            return self.lookup(queryset, value)
        return queryset.filter(**{self.lookup: value})


class FilteredListingMixin(RoutablePageMixin):
    """An index page whose listing visitors filter, page through and download (csv/)."""

    # Filter instances, in the order their parameters appear in links.
    filters = ()
    # (header, value of an item) for each CSV column; the value is a function (item, request).
    csv_columns = ()
    csv_filename = "export.csv"

    def listed(self):
        """The pages this index lists, before any filter (live, public, in its language)."""
        raise NotImplementedError

    def csv_items(self, filters):
        """What the CSV lists: by default the listing filtered, in the listing's order."""
        return self.apply_filters(self.listed(), filters).distinct()

    def read_filters(self, request):
        return {spec.name: spec.read(request) for spec in self.filters}

    @classmethod
    def apply_filters(cls, queryset, filters, skip=None):
        """The queryset narrowed by each filter given, but `skip` (the counts of a facet ignore their own)."""
        for spec in cls.filters:
            value = filters.get(spec.name)
            if value and spec.name != skip:
                queryset = spec.apply(queryset, value)
        return queryset

    @staticmethod
    def filter_context(filters):
        """What templates need to show the filters and keep them in links (shareable URLs)."""
        return {
            "filters": filters,
            "filtering": any(filters.values()),
            "filter_query": urlencode({name: value for name, value in filters.items() if value}),
        }

    @path("csv/", name="csv")
    def csv_export(self, request):
        """The listing as CSV, filtered by the same parameters as the page."""
        rows = (
            [value(item, request) for _header, value in self.csv_columns]
            for item in self.csv_items(self.read_filters(request))
        )
        return csv_response(self.csv_filename, [header for header, _value in self.csv_columns], rows)
