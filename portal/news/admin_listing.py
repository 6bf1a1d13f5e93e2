"""The admin's list of all articles, whatever their section, filterable by "to check".

Imports create articles the importer could not fully establish as drafts
marked "to check"; editors and moderators find them here (Articles → filter
"To check": yes), fix them and send them through the usual workflow.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.pages import PageListingViewSet

from portal.news.models import ArticlePage


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    icon = "doc-full-inverse"
    menu_label = _("Articles")
    menu_order = 150
    add_to_admin_menu = True
    list_filter = ["needs_review", "locale"]
    columns = PageListingViewSet.columns + [
        BooleanColumn("needs_review", label=_("to check"), sort_key="needs_review"),
        Column("source_name", label=_("source publication")),
        Column("published_on", label=_("publication date"), sort_key="published_on"),
    ]
