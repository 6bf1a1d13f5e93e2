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
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from brand.models import Organisation


class LocaleFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        locale = request.GET.get("locale")
        if locale:
            queryset = queryset.filter(Q(locale__language_code=locale[:10]))
        return queryset


class PortalPagesAPIViewSet(PagesAPIViewSet):
    # The application form page is a page, but not open data.
    def get_base_queryset(self):
        return super().get_base_queryset().exclude(content_type__model="startupapplicationpage")


class OrganisationsAPIViewSet(BaseAPIViewSet):
    model = Organisation
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter, LocaleFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters | {"locale"}
    body_fields = [*BaseAPIViewSet.body_fields, "name", "acronym", "slug", "kind", "city", "country", "website",
                   "description"]  # fmt: skip
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "name", "acronym", "slug", "kind", "city"]
    name = "organisations"


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("organisations", OrganisationsAPIViewSet)
