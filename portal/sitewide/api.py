"""The open-data API (/api/v2/): live public pages and the partner organisations.

Read-only. Each page type exposes the fields listed in its `api_fields`;
internal fields (import provenance, applicants' contacts) are never listed.
Drafts and private pages are excluded by Wagtail's pages endpoint, which
serves live, public pages only.
"""

from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from brand.models import Organisation, StartupApplicationPage
from portal.core.cache import depends_on
from portal.core.forms import is_id

# Far beyond what the portal holds, far below what a database column takes.
MAX_OFFSET = 1_000_000


class LocaleFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        locale = request.GET.get("locale")
        if locale:
            queryset = queryset.filter(Q(locale__language_code=locale[:10]))
        return queryset


class WordsSearchFilter(SearchFilter):
    """Wagtail's ?search=, where a query without a letter or digit finds nothing (not a backend error)."""

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET and not any(ch.isalnum() for ch in request.GET["search"]):
            return queryset.none()
        return super().filter_queryset(request, queryset, view)


class CheckedParametersMixin:
    """Numbers in range, answered 400 like Wagtail's other parameter errors (not a database error)."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        raw = self.request.GET.get("offset")
        if raw is not None and raw.strip().lstrip("-").isdigit() and not 0 <= int(raw) <= MAX_OFFSET:
            raise BadRequestError(f"offset must be a number from 0 to {MAX_OFFSET}")
        if self.request.GET.get("search_operator", "or") not in ("or", "and"):
            raise BadRequestError("search_operator must be 'or' or 'and'")

    def find_object(self, queryset, request):
        raw = request.GET.get("id")
        if raw is not None and not is_id(raw):
            raise BadRequestError("id must be a positive whole number")
        return super().find_object(queryset, request)


class PortalPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    filter_backends = [WordsSearchFilter if f is SearchFilter else f for f in PagesAPIViewSet.filter_backends]

    # The application form page is a page, but not open data. Excluded by its
    # content type, a field the search backend can filter on (?search= works).
    def get_base_queryset(self):
        return super().get_base_queryset().not_type(StartupApplicationPage)


class OrganisationsAPIViewSet(CheckedParametersMixin, BaseAPIViewSet):
    model = Organisation
    # Search last: search results cannot be filtered further.
    filter_backends = [FieldsFilter, LocaleFilter, OrderingFilter, WordsSearchFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters | {"locale"}
    body_fields = [*BaseAPIViewSet.body_fields, "name", "acronym", "slug", "kind", "city", "country", "website",
                   "description"]  # fmt: skip
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "name", "acronym", "slug", "kind", "city"]
    name = "organisations"

    def get_queryset(self):
        # A cached answer (the page cache) changes with any organisation, even when it listed none.
        depends_on(Organisation)
        # Published organisations only: an editor's new organisation waits for a moderator.
        return Organisation.objects.live().order_by("id")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("organisations", OrganisationsAPIViewSet)
