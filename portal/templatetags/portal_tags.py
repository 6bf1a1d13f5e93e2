from django import template
from wagtail.models import Locale, Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The live sections under the current language's home page marked "show in menus".

    Two queries whatever the size of the site: the home page and its children.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        locale = Locale.get_active()
        root = site.root_page.get_translation_or_none(locale) or site.root_page
        items = list(root.get_children().live().in_menu().only("id", "path", "url_path", "title", "locale"))
    current = request.path if request else ""
    return {
        "menu_items": [
            {
                "title": item.title,
                "url": item.get_url(request),
                "active": current.startswith(item.get_url(request) or "-"),
            }
            for item in items
        ],
        "home_url": root.get_url(request) if site is not None else "/",
    }
