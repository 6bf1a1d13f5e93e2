from django import template
from django.utils import translation

from portal.core import seo, social_cards

register = template.Library()


@register.inclusion_tag("includes/seo_meta.html", takes_context=True)
def seo_meta(context):
    """Canonical URL, OpenGraph and Twitter meta and JSON-LD for the current page.

    The canonical URL is the path without its query string, so filtered and
    paginated listings all point to the listing itself.
    """
    request = context["request"]
    page = context.get("page")
    title = context.get("seo_title_override") or (
        (getattr(page, "seo_title", "") or getattr(page, "title", "")) if page else "MoroccoTech"
    )
    description = context.get("seo_description_override") or ""
    image = None
    if page is not None and hasattr(page, "social_text"):
        description = description or page.search_description or page.social_text()
        image = page.social_image or page.social_image_fallback()
    structured = context.get("structured_data")
    if structured is None and page is not None and hasattr(page, "structured_data"):
        structured = page.structured_data(request)
    chrome = context.get("chrome") or {}
    image_url, image_size = None, None
    card = social_cards.url_for(page) if image is None and page is not None and getattr(page, "pk", None) else None
    if image is not None:
        rendition = image.get_rendition("fill-1200x630")
        image_url, image_size = request.build_absolute_uri(rendition.url), (rendition.width, rendition.height)
    elif card:
        # Drawn for this page, with its title (articles and events).
        image_url, image_size = request.build_absolute_uri(card), (social_cards.WIDTH, social_cards.HEIGHT)
    elif chrome.get("share_image"):
        # The site's default sharing image (PortalSettings), already rendered and cached.
        image_url = request.build_absolute_uri(chrome["share_image"])
    return {
        "canonical_url": request.build_absolute_uri(request.path),
        "title": title,
        "site_name": chrome.get("site_name") or "MoroccoTech",
        "description": seo.plain(description),
        "image_url": image_url,
        "image_size": image_size,
        "og_type": getattr(page, "og_type", "website"),
        "og_locale": seo.OG_LOCALES.get(translation.get_language(), "fr_MA"),
        "structured_data": seo.json_ld(structured) if structured else None,
    }
