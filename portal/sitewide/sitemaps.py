from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.core.visibility import public


class AllLanguagesSitemap(Sitemap):
    """Every live public page of the site, in every language.

    Wagtail's own sitemap walks the site's root page, which is the French
    home: the Arabic and English homes are its translations, siblings under
    Wagtail's root, and their trees would be left out.
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        in_some_tree = Q()
        for home in homes:
            in_some_tree |= Q(path__startswith=home.path)
        return public(Page.objects.filter(in_some_tree).live()).order_by("path").defer_streamfields().specific()
