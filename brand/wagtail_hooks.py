from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from brand.models import City, Organisation, Sector, StartupApplication


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "kind", "city", "locale"]
    list_filter = ["kind", "locale"]
    search_fields = ["name", "acronym", "description"]
    ordering = ["name"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Secteurs")
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_label = _("Villes")
    list_display = ["name", "region", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "region"]


class StartupApplicationViewSet(SnippetViewSet):
    model = StartupApplication
    icon = "form"
    menu_label = _("Candidatures")
    list_display = ["startup_name", "founder_name", "submitted_at", "status", "page"]
    list_filter = ["status"]
    search_fields = ["startup_name", "founder_name", "email"]
    ordering = ["-submitted_at"]
    inspect_view_enabled = True
    # Applications come from the public form only.
    add_to_admin_menu = False


class EcosystemGroup(SnippetViewSetGroup):
    menu_label = _("Écosystème")
    menu_icon = "group"
    menu_order = 250
    items = (OrganisationViewSet, SectorViewSet, CityViewSet, StartupApplicationViewSet)


register_snippet(EcosystemGroup)
