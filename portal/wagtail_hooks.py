from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.news import admin_import
from portal.news.admin_listing import ArticleListingViewSet
from portal.sitewide import dashboard
from portal.sitewide.navigation import SiteNavigation
from portal.sitewide.newsletter import Subscriber


@hooks.register("insert_global_admin_css")
def text_in_its_own_direction():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin.css"))


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    dashboard.construct_panels(request, panels)


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Abonnés à la lettre")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["email", "language", "status", "confirmed_at"]
    list_filter = ["language", "status"]
    search_fields = ["email"]
    ordering = ["-confirmed_at"]
    # The mailing tool needs the unsubscribe link of each person for every campaign.
    list_export = ["email", "language", "status", "confirmed_at", "unsubscribed_at", "unsubscribe_url"]
    export_headings = {
        "email": "email",
        "language": "language",
        "status": "status",
        "confirmed_at": "confirmed_at",
        "unsubscribed_at": "unsubscribed_at",
        "unsubscribe_url": "unsubscribe_url",
    }
    export_filename = "moroccotech-abonnes"
    inspect_view_enabled = True


class SiteNavigationViewSet(SnippetViewSet):
    model = SiteNavigation
    icon = "list-ul"
    menu_label = _("Menu et pied de page")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["__str__", "tagline", "locale"]
    list_filter = ["locale"]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles")


@hooks.register("register_admin_urls")
def register_article_import_urls():
    return [
        path("articles/import/", admin_import.upload_view, name="article_import"),
        path("articles/import/<uuid:batch>/", admin_import.preview_view, name="article_import_preview"),
        path("articles/import/runs/<int:pk>/", admin_import.run_view, name="article_import_run"),
    ]


class ArticleImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_import.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_article_import_menu_item():
    return ArticleImportMenuItem(_("Import articles"), reverse("article_import"), icon_name="upload", order=151)


register_snippet(SubscriberViewSet)
register_snippet(SiteNavigationViewSet)
