"""The ecosystem in figures: counts from live content, drawn as accessible SVG on the server.

Every number is one grouped query over live, public pages in the page's
language (with the French originals not yet translated), so the page counts
exactly what a visitor can browse. Charts are inline SVG (a labelled group with
a <title> and a <desc>), each bar a link to the listing it counts, each chart
with a data table beside it for screen readers and copying; no JavaScript.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from brand.membership import freshness
from brand.models import City, Organisation, Sector, StartupPage
from events.models import EventFormat, EventPage
from portal.core.i18n import in_language
from portal.core.visibility import visible
from portal.news.models import ArticlePage

# What the charts count: any of these added, removed or changed may change a figure.
COUNTED = (StartupPage, EventPage, ArticlePage, Organisation, Sector, City)


@dataclass
class Chart:
    key: str
    title: str
    description: str
    rows: list = field(default_factory=list)  # (label, count, url or "")

    @property
    def total(self):
        return sum(count for _label, count, _url in self.rows)


def grouped(queryset, expression):
    """{value: count} in one query; order_by() drops Page's path ordering from the GROUP BY."""
    return dict(
        queryset.order_by()
        .annotate(bucket=expression)
        .values_list("bucket")
        .annotate(n=Count("pk", distinct=True))
    )


def collect(locale, urls):
    """The charts for one language. urls: the section pages' URLs, for the links."""
    directory, events_url = urls.get("StartupIndexPage", ""), urls.get("EventIndexPage", "")
    news_url, organisations_url = urls.get("NewsIndexPage", ""), urls.get("organisations", "")
    startups = visible(StartupPage.objects.all(), locale)
    events = visible(EventPage.objects.all(), locale)
    articles = visible(ArticlePage.objects.all(), locale)
    charts = []

    by_sector = dict(
        StartupPage.sectors.through.objects.filter(startuppage_id__in=startups.values("pk"))
        .order_by()
        .values_list("sector__slug")
        .annotate(n=Count("startuppage_id", distinct=True))
    )
    sectors = Sector.objects.filter(locale=locale).order_by("name")
    charts.append(
        Chart(
            "sectors",
            _("Startups par secteur"),
            _("Nombre de startups membres dans chaque secteur (une startup peut en avoir plusieurs)."),
            [
                (s.name, by_sector[s.slug], f"{directory}?sector={s.slug}")
                for s in sectors
                if by_sector.get(s.slug)
            ],
        )
    )
    by_city = grouped(startups.filter(city__isnull=False), F("city__slug"))
    cities = City.objects.filter(locale=locale).order_by("name")
    charts.append(
        Chart(
            "cities",
            _("Startups par ville"),
            _("Nombre de startups membres dont le siège est dans chaque ville."),
            [(c.name, by_city[c.slug], f"{directory}?city={c.slug}") for c in cities if by_city.get(c.slug)],
        )
    )
    by_year = grouped(startups.filter(member_since__isnull=False), ExtractYear("member_since"))
    charts.append(
        Chart(
            "members",
            _("Nouveaux membres par année"),
            _("Nombre de startups ayant rejoint la marque chaque année."),
            [(str(year), n, directory) for year, n in sorted(by_year.items())],
        )
    )
    members = startups.order_by().aggregate(
        total=Count("pk"), verified=Count("pk", filter=Q(verified_at__gte=freshness.review_due_before()))
    )
    verified, unverified = members["verified"], members["total"] - members["verified"]
    charts.append(
        Chart(
            "verified",
            _("Fiches vérifiées dans l’année"),
            _(
                "Startups membres dont la fiche a été vérifiée par l’équipe ou confirmée par leur fondateur "
                "au cours des douze derniers mois, et les autres."
            ),
            [
                (label, n, directory)
                for label, n in ((_("Vérifiées"), verified), (_("À revérifier"), unverified))
                if n
            ],
        )
    )
    by_event_year = grouped(events, ExtractYear("starts_at"))
    charts.append(
        Chart(
            "event_years",
            _("Événements par année"),
            _("Nombre d’événements de l’écosystème par année de début."),
            [(str(year), n, f"{events_url}?year={year}") for year, n in sorted(by_event_year.items())],
        )
    )
    by_format = grouped(events, F("event_format"))
    charts.append(
        Chart(
            "event_formats",
            _("Événements par format"),
            _("Nombre d’événements en présentiel, en ligne ou hybrides."),
            [
                (str(label), by_format[value], f"{events_url}?format={value}")
                for value, label in EventFormat.choices
                if by_format.get(value)
            ],
        )
    )
    by_month = grouped(articles.filter(published_on__isnull=False), TruncMonth("published_on"))
    charts.append(
        Chart(
            "articles",
            _("Articles par mois"),
            _("Nombre d’articles de presse publiés chaque mois, selon leur date de parution."),
            [
                (formats.date_format(month, "YEAR_MONTH_FORMAT"), n, news_url)
                for month, n in sorted(by_month.items())
            ],
        )
    )
    # Organisations are described in French first: the untranslated ones count in every language.
    by_kind = grouped(in_language(Organisation.objects.live(), locale), F("kind"))
    charts.append(
        Chart(
            "organisations",
            _("Organisations partenaires par type"),
            _("Nombre d’organisations de l’écosystème référencées, par type."),
            [
                (str(label), by_kind[value], f"{organisations_url}#kind-{value}")
                for value, label in Organisation.Kind.choices
                if by_kind.get(value)
            ],
        )
    )
    return charts


# --- SVG --------------------------------------------------------------------------

# A phone's width: each label sits above its bar, so that on a 320 px screen
# the labels (15 px in site.css) are still about 13 px (labels beside the bars
# needed a 640-wide drawing, which a phone shrank to 6 px text).
WIDTH = 320
ROW = 44
BAR_HEIGHT = 14
NUMBER_ROOM = 48  # right of the longest bar (left of it in Arabic): its number


def svg(chart, rtl=False):
    """A horizontal bar chart as well-formed SVG markup (it is also valid XML)."""
    title_id, desc_id = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    height = max(1, len(chart.rows)) * ROW + 6
    top = max((count for _l, count, _u in chart.rows), default=0) or 1
    room = WIDTH - 4 - NUMBER_ROOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        # "group", not "img": the bars are links, and an image's content is not interactive.
        f'role="group" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    for index, (label, count, url) in enumerate(chart.rows):
        y = 4 + index * ROW
        length = max(2, round(room * count / top))
        # In Arabic the text runs right to left (the page's direction): "start" is its right end.
        if rtl:
            label_x, bar_x, value_x = WIDTH - 2, WIDTH - 2 - length, WIDTH - 8 - length
        else:
            label_x, bar_x, value_x = 2, 2, 8 + length
        row = (
            f'<text x="{label_x}" y="{y + 14}" text-anchor="start" class="chart__label">{escape(label)}</text>'
            f'<rect x="{bar_x}" y="{y + 20}" width="{length}" height="{BAR_HEIGHT}" class="chart__bar"/>'
            f'<text x="{value_x}" y="{y + 32}" text-anchor="start" class="chart__value">{count}</text>'
        )
        if url:
            row = f"<a href={quoteattr(url)}>{row}</a>"
        parts.append(f"<g>{row}</g>")
    parts.append("</svg>")
    return "".join(parts)
