"""The home page's sections: blocks editors order and switch off, filled from live content.

Each section costs a fixed number of queries however much content exists:
hand-picked pages are read by id from the stream's raw data (not one chooser
lookup per page), cards come with what they show prefetched, and only live,
public pages in the page's language (or the French original when there is
no translation) are ever shown.
"""

from django.db.models import Case, IntegerField, Prefetch, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.models import Rendition
from wagtail.models import Page

from brand.membership import freshness
from brand.models import BrandPage, Organisation, StartupPage
from events.models import EventPage
from portal.core.cache import RESTRICTIONS, cached_value, children_of, depends_on
from portal.core.i18n import in_language
from portal.core.visibility import public, visible
from portal.news.models import ArticlePage


class SectionBlock(blocks.StructBlock):
    show = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text="Untick to hide this section without losing its settings.",
    )
    heading = blocks.CharBlock(
        required=False, max_length=80, help_text="Optional: replaces the section's default heading."
    )

    class Meta:
        form_classname = "struct-block home-section"


class LatestNewsBlock(SectionBlock):
    count = blocks.IntegerBlock(min_value=3, max_value=6, default=3, help_text="How many articles (3 to 6).")
    articles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="portal.ArticlePage"),
        required=False,
        default=[],
        help_text="Optional: hand-picked articles, in this order. Empty: the newest ones.",
    )

    class Meta:
        icon = "doc-full"
        label = _("Dernières actualités")


class UpcomingEventsBlock(SectionBlock):
    count = blocks.IntegerBlock(min_value=1, max_value=6, default=3, help_text="How many upcoming events.")

    class Meta:
        icon = "date"
        label = _("Événements à venir")


class FeaturedStartupsBlock(SectionBlock):
    count = blocks.IntegerBlock(min_value=3, max_value=6, default=3, help_text="How many startups (3 to 6).")
    startups = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="brand.StartupPage"),
        required=False,
        default=[],
        help_text="Optional: hand-picked startups, in this order. Empty: the newest members.",
    )

    class Meta:
        icon = "pick"
        label = _("Startups à la une")


class KeyFiguresBlock(SectionBlock):
    class Meta:
        icon = "table"
        label = _("Chiffres clés")
        help_text = "The key figures of the brand page, in the same language."


class PartnersBlock(SectionBlock):
    class Meta:
        icon = "group"
        label = _("Partenaires")
        help_text = "The partner organisations listed on the brand page, with their logos."


class HomeSectionsBlock(blocks.StreamBlock):
    latest_news = LatestNewsBlock()
    upcoming_events = UpcomingEventsBlock()
    featured_startups = FeaturedStartupsBlock()
    key_figures = KeyFiguresBlock()
    partners = PartnersBlock()

    class Meta:
        block_counts = {name: {"max_num": 1} for name in ("latest_news", "upcoming_events", "featured_startups")}


DEFAULT_SECTIONS = [
    ("latest_news", {"show": True, "heading": "", "count": 3, "articles": []}),
    ("upcoming_events", {"show": True, "heading": "", "count": 3}),
    ("featured_startups", {"show": True, "heading": "", "count": 3, "startups": []}),
    ("key_figures", {"show": True, "heading": ""}),
    ("partners", {"show": True, "heading": ""}),
]


def picked_ids(value, name):
    """Page ids from the block's raw value, without loading the pages."""
    ids = value.get(name) or []
    # ListBlock's raw form is [{"type": "item", "value": id, "id": ...}] (or plain ids in older data).
    return [item["value"] if isinstance(item, dict) else item for item in ids if item]


def in_picked_order(queryset, ids, locale):
    """The live pages in `locale` (or their French originals) that translate the picked ids, in order."""
    order = {
        key: ids.index(pk) for pk, key in Page.objects.filter(pk__in=ids).values_list("pk", "translation_key")
    }
    if not order:
        return []
    queryset = in_language(queryset.filter(translation_key__in=order), locale)
    return sorted(queryset, key=lambda page: order[page.translation_key])


def latest_news(home, value):
    listing = ArticlePage.objects.listing(locale=home.locale)
    ids = picked_ids(value, "articles")
    if ids:
        return in_picked_order(listing.order_by(), ids, home.locale)[: value["count"]]
    return list(listing[: value["count"]])


def upcoming_events(home, value):
    events = visible(EventPage.objects.all(), home.locale).filter(ends_at__gte=timezone.now())
    return list(
        events.select_related("locale", "lead_image").defer("body").order_by("starts_at", "pk")[: value["count"]]
    )


def featured_startups(home, value):
    # A profile its founder has not confirmed for a year and its grace is not put forward.
    startups = (
        freshness.fresh(public(StartupPage.objects.live()))
        .select_related("city", "locale", "logo")
        .prefetch_related("sectors", Prefetch("logo__renditions", queryset=Rendition.objects.all()))
    )
    ids = picked_ids(value, "startups")
    if ids:
        return in_picked_order(startups, ids, home.locale)[: value["count"]]
    newest = in_language(startups, home.locale).order_by(
        Case(When(member_since__isnull=True, then=1), default=0, output_field=IntegerField()),
        "-member_since",
        "-first_published_at",
        "-pk",
    )
    return list(newest[: value["count"]])


def brand_page(home):
    # Depends on every brand page, outside any cached listing too: a brand page published later must show.
    depends_on(BrandPage)
    return cached_value(
        "home-brand-page",
        (home.pk,),
        lambda: public(BrandPage.objects.child_of(home).live()).first(),
        shows=(BrandPage, RESTRICTIONS),
    )


def key_figures(home, value, brand):
    return list(brand.figures) if brand else []


def partners(home, value, brand):
    if brand is None:
        return []
    return cached_value(
        "home-partners",
        (brand.pk,),
        lambda: list(
            brand.partners.filter(organisation__live=True)
            .select_related("organisation", "organisation__logo")
            .prefetch_related(Prefetch("organisation__logo__renditions", queryset=Rendition.objects.all()))
            .order_by("sort_order")
        ),
        # The rows are the brand page's own, published with it; an organisation published or withdrawn.
        shows=(brand, Organisation),
    )


# What fills each section; the brand sections also need the brand page.
FILLERS = {"latest_news": latest_news, "upcoming_events": upcoming_events, "featured_startups": featured_startups}
# The kinds each lists: any of them published, unpublished or moved may change it.
SHOWS = {"latest_news": (ArticlePage,), "upcoming_events": (EventPage,), "featured_startups": (StartupPage,)}
BRAND_FILLERS = {"key_figures": key_figures, "partners": partners}


def build_sections(home):
    """[{"type", "heading", "items"}] for the shown sections, in the editors' order."""
    stream = home.sections.raw_data if home.sections else []
    shown = [(item["type"], item["value"]) for item in stream if item["value"].get("show", True)]
    brand = brand_page(home) if any(kind in BRAND_FILLERS for kind, _value in shown) else None
    defaults = dict(DEFAULT_SECTIONS)
    sections = []
    for kind, value in shown:
        value = {**defaults[kind], **value}
        if kind in BRAND_FILLERS:
            items = BRAND_FILLERS[kind](home, value, brand)
            if not items:
                continue  # nothing to show, and no "empty" message makes sense for these
        else:
            # The same for every visitor until content changes; upcoming events also change with time.
            items = cached_value(
                "home-section",
                (home.pk, kind, sorted(value.items())),
                lambda: FILLERS[kind](home, value),  # noqa: B023 (called at once)
                shows=SHOWS[kind],
                **({"timeout": 60} if kind == "upcoming_events" else {}),
            )
        sections.append({"type": kind, "heading": value.get("heading") or "", "items": items})
    return sections


def home_sections(request, home):
    """The live, public pages right under a home page: shared by the menu and the home, cached with the content."""
    cache = request.__dict__.setdefault("_portal_home_sections", {})
    # A section published, unpublished or moved under this home drops what shows them.
    depends_on(children_of(home))
    if home.pk not in cache:
        cache[home.pk] = cached_value(
            "home-sections",
            (home.pk,),
            lambda: list(
                public(home.get_children().live()).only(
                    "id", "path", "url_path", "title", "locale", "content_type", "show_in_menus"
                )
            ),
            # Not every page's kind: a section added, withdrawn or moved changes its parent's children.
            shows=(children_of(home), RESTRICTIONS),
        )
    return cache[home.pk]
