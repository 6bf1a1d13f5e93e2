"""The ecosystem calendar: launches, congresses, trade missions, hackathons, meetups."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from brand.models import BrandPage
from events.choices import EventFormat, portal_timezone
from events.ical import calendar_response
from portal.core import seo
from portal.core.blocks import BodyBlock
from portal.core.cache import depends_on
from portal.core.i18n import localized
from portal.core.listings import Filter, FilteredListingMixin
from portal.core.pages import IntroductionMixin, LeadImageMixin, PortalPage
from portal.core.pagination import cached_list, cached_page
from portal.core.search_analysis import SearchText
from portal.core.visibility import visible

PAST_EVENTS_PER_PAGE = 20
UPCOMING_LIMIT = 100


class EventIndexPage(FilteredListingMixin, IntroductionMixin, PortalPage):
    """Événements (/fr/evenements/): upcoming first, then the archive by year."""

    search_result_group = None

    content_panels = Page.content_panels + IntroductionMixin.introduction_panels
    search_fields = PortalPage.search_fields + IntroductionMixin.introduction_search_fields

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index")

    filters = (
        Filter("format", "event_format", max_length=20, allowed=EventFormat.values),
        Filter("city", "city__iexact"),
        Filter("tag", "tags__slug"),
        # The figures page links each year's bar here; anything but a plausible year is ignored.
        Filter("year", lambda events, year: events.filter(starts_at__year=int(year)), max_length=10,
               allowed=lambda year: len(year) == 4 and year.isascii() and year.isdigit() and year >= "1900"),
    )  # fmt: skip
    csv_filename = "moroccotech-evenements.csv"
    csv_columns = (
        ("titre", lambda e, request: e.title),
        ("url", lambda e, request: e.get_full_url(request)),
        ("debut", lambda e, request: e.local_start.isoformat()),
        ("fin", lambda e, request: e.local_end.isoformat()),
        ("journee_entiere", lambda e, request: "oui" if e.all_day else "non"),
        ("format", lambda e, request: e.get_event_format_display()),
        ("lieu", lambda e, request: e.venue),
        ("ville", lambda e, request: e.city),
        ("pays", lambda e, request: e.country),
        ("en_ligne", lambda e, request: e.online_url),
        ("inscription", lambda e, request: e.registration_url),
        ("organisateurs", lambda e, request: "; ".join(o.name for o in e.organisers.all())),
        ("participants", lambda e, request: e.participants),
    )

    def listed(self):
        # This language's events, and the French ones not translated into it.
        # Cards show the summary, never the body (listings are cached pickled: see ArticlePage.listing).
        return visible(EventPage.objects.all(), self.locale).select_related("locale", "lead_image").defer("body")

    def csv_items(self, filters):
        """Every event matching the page's filters, upcoming and past, the latest first."""
        return super().csv_items(filters).order_by("-starts_at", "-pk").prefetch_related("organisers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # To the minute: the listings are cached by their SQL (portal.core.pagination), which holds it.
        now = timezone.now().replace(second=0, microsecond=0)
        filters = self.read_filters(request)
        events = self.apply_filters(self.listed(), filters).distinct()
        # An event is upcoming until it has ended: ongoing events stay listed.
        # Keyed by what the listings are built from: this section (its language), the filters, the minute.
        key = (self.pk, sorted(filters.items()), now.isoformat())
        # Read when shown: the template caches the listing's HTML around it.
        upcoming = SimpleLazyObject(
            lambda: cached_list(
                events.filter(ends_at__gte=now).order_by("starts_at", "pk")[:UPCOMING_LIMIT],
                timeout=60,
                key=("events-upcoming", *key),
            )
        )
        past = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        past_page = cached_page(
            past, PAST_EVENTS_PER_PAGE, request.GET.get("page"), timeout=60, key=("events-past", *key)
        )
        base = self.listed()
        context.update(
            upcoming_events=upcoming if past_page.number == 1 else [],
            past_events=past_page,
            **self.filter_context(filters),
            format_choices=EventFormat.choices,
            city_choices=cached_list(
                base.exclude(city="").order_by("city").values_list("city", flat=True).distinct(),
                key=("event-cities", self.pk),
            ),
            tag_choices=cached_list(
                Tag.objects.filter(events_eventpagetag_items__content_object__in=base).distinct().order_by("name"),
                key=("event-tags", self.pk),
                # The tags the events carry: an event published with a new one adds it.
                shows=(EventPage,),
            ),
        )
        return context

    @path("ical/", name="calendar")
    def calendar_feed(self, request):
        """Upcoming events as one iCalendar feed that calendar apps can subscribe to."""
        events = self.listed().filter(ends_at__gte=timezone.now()).order_by("starts_at")
        return calendar_response(request, events, filename="moroccotech-evenements.ics")


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.EventPage", verbose_name=_("item"), on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("event tag")


class EventPage(LeadImageMixin, RoutablePageMixin, PortalPage):
    """One event. Times are entered and shown in the portal's time zone (Africa/Casablanca)."""

    search_result_group = "events"
    # Upcoming/past and year by the dates; filters by format, city, tag; organisation pages by role.
    listed_by = ("starts_at", "ends_at", "all_day", "event_format", "city", "tags", "organisers", "partners")

    summary = models.TextField(
        verbose_name=_("summary"), help_text=_("Two or three sentences: what, for whom, why it matters.")
    )
    body = StreamField(
        BodyBlock(), verbose_name=_("body"), blank=True, help_text=_("Programme, speakers, practical details.")
    )
    starts_at = models.DateTimeField(
        _("start"),
        help_text=_("Date and time it starts (Casablanca time). For an all-day event the time is ignored."),
    )
    ends_at = models.DateTimeField(
        _("end"),
        help_text=_(
            "Date and time it ends (Casablanca time). For an all-day event, the last day; the time is ignored."
        ),
    )
    all_day = models.BooleanField(
        verbose_name=_("all day"),
        default=False,
        help_text=_("Tick when the event has no set hours (a congress day, a mission of several days)."),
    )
    event_format = models.CharField(
        _("format"),
        max_length=20,
        choices=EventFormat.choices,
        help_text=_("In person, online, or both."),
    )
    venue = models.CharField(
        verbose_name=_("venue"), max_length=255, blank=True, help_text=_("The place, e.g. “Palais des congrès”.")
    )
    city = models.CharField(
        verbose_name=_("city"),
        max_length=100,
        blank=True,
        help_text=_("City of the venue; leave empty for an event held only online."),
    )
    country = models.CharField(
        verbose_name=_("country"),
        max_length=100,
        default="Maroc",
        blank=True,
        help_text=_("Country of the venue."),
    )
    online_url = models.URLField(
        verbose_name=_("online address"),
        blank=True,
        help_text=_("Where to follow it online (for online and hybrid events)."),
    )
    registration_url = models.URLField(
        verbose_name=_("registration address"),
        blank=True,
        help_text=_("Where to register, if registration is needed."),
    )
    participants = models.PositiveIntegerField(
        verbose_name=_("participants"),
        null=True,
        blank=True,
        help_text=_("Number of participants, when known (at least that many)."),
    )
    countries = models.PositiveIntegerField(
        verbose_name=_("countries"),
        null=True,
        blank=True,
        help_text=_("Number of countries represented, when known."),
    )
    attendance_note = models.CharField(
        verbose_name=_("attendance note"),
        max_length=255,
        blank=True,
        help_text=_("Attendance as the source words it, e.g. “plus de 800 participants”."),
    )
    edition = models.PositiveSmallIntegerField(
        verbose_name=_("edition"),
        null=True,
        blank=True,
        help_text=_("For a recurring event, the number of this edition (2 for the 2nd)."),
    )
    organisers = ParentalManyToManyField(
        "brand.Organisation",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
        help_text=_("Who organises it."),
    )
    partners = ParentalManyToManyField(
        "brand.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partnered_events",
        help_text=_("Partners and participating organisations."),
    )
    tags = ClusterTaggableManager(
        through=EventPageTag, blank=True, verbose_name=_("tags"), help_text=_("Topics, e.g. “IA”, “hackathon”.")
    )
    ical_sequence = models.PositiveIntegerField(
        verbose_name=_("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Incremented on every publish, for calendar apps (iCalendar SEQUENCE)."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        *LeadImageMixin.lead_image_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("all_day")],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("event_format"),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("online_url"),
                FieldPanel("registration_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("organisers"), FieldPanel("partners"), FieldPanel("edition")], heading=_("Who")
        ),
        MultiFieldPanel(
            [FieldPanel("participants"), FieldPanel("countries"), FieldPanel("attendance_note")],
            heading=_("Attendance"),
        ),
        FieldPanel("tags"),
        InlinePanel("related_articles", heading=_("Related articles"), label=_("Article")),
    ]

    search_fields = PortalPage.search_fields + [
        *LeadImageMixin.lead_image_search_fields,
        SearchText("summary"),
        SearchText("body"),
        SearchText("venue"),
        SearchText("city"),
        index.FilterField("starts_at"),
        index.FilterField("event_format"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("all_day"),
        APIField("event_format"),
        APIField("venue"),
        APIField("city"),
        APIField("country"),
        APIField("online_url"),
        APIField("registration_url"),
        APIField("participants"),
        APIField("countries"),
        APIField("edition"),
        APIField("organiser_names", serializer=serializers.ListField(child=serializers.CharField())),
        APIField("tag_names", serializer=serializers.ListField(child=serializers.CharField())),
        *LeadImageMixin.lead_image_api_fields,
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        indexes = [models.Index(fields=["ends_at"]), models.Index(fields=["starts_at"])]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end cannot be before the start.")})

    def save(self, *args, **kwargs):
        if self.all_day and self.starts_at and self.ends_at:
            # All-day: from the first day's midnight to the last day's end, in
            # Casablanca time, so that "ended" is true only once the day is over.
            tz = portal_timezone()
            first = timezone.localtime(self.starts_at, tz).date()
            last = timezone.localtime(self.ends_at, tz).date()
            self.starts_at = datetime.datetime.combine(first, datetime.time.min, tz)
            self.ends_at = datetime.datetime.combine(last, datetime.time(23, 59, 59), tz)
        return super().save(*args, **kwargs)

    @property
    def organiser_names(self):
        return [organisation.name for organisation in self.organisers.all()]

    @property
    def tag_names(self):
        return [tag.name for tag in self.tags.all()]

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, portal_timezone())

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, portal_timezone())

    @property
    def is_multi_day(self):
        return self.local_start.date() != self.local_end.date()

    @property
    def has_ended(self):
        return self.ends_at < timezone.now()

    @property
    def location_text(self):
        place = ", ".join(part for part in (self.venue, self.city, self.country if self.city else "") if part)
        if self.event_format == EventFormat.ONLINE:
            return _("En ligne") + (f" ({self.online_url})" if self.online_url else "")
        if self.event_format == EventFormat.HYBRID and self.online_url:
            return f"{place} + {self.online_url}" if place else str(self.online_url)
        return place

    # Served from the cached route with these loaded (portal.core.cache.routing.prepare_for_display).
    # Drafts among the related articles are loaded too and left out when shown:
    # loading tags them (portal.core.cache.tags), so their publishing refreshes this page.
    display_prefetch = (
        "organisers",
        "partners",
        "tags",
        "related_articles__article",
    )

    def prepare_for_display(self):
        self.get_brand_page()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["index_url"] = self.get_parent().get_url(request)
        # In the visitor's language where the organisations are translated.
        context["event_organisers"] = [localized(o, self.locale_id) for o in self.organisers.all()]
        context["event_partners"] = [localized(o, self.locale_id) for o in self.partners.all()]
        context["event_articles"] = [related for related in self.related_articles.all() if related.article.live]
        context["brand_page"] = self.get_brand_page()
        return context

    def social_text(self):
        return self.summary

    def social_card(self):
        """What the generated sharing image shows (portal.core.social_cards): the day and the city."""
        when = date_format(self.local_start, "j F Y") if self.starts_at else ""
        return {
            "title": self.title,
            "kicker": gettext("Événement"),
            "date": " · ".join(p for p in (when, self.city) if p),
        }

    def structured_data(self, request):
        return seo.event(self, request, list(self.organisers.all()))

    def get_brand_page(self):
        depends_on(BrandPage)
        # Kept on the instance: the cached route's copy carries it (prepare_for_display).
        if "_brand_page" not in self.__dict__:
            self._brand_page = BrandPage.objects.live().filter(locale=self.locale).first()
        return self._brand_page

    @path("ical/", name="ical")
    def ical(self, request):
        return calendar_response(request, [self], filename=f"{self.slug}.ics")


class EventRelatedArticle(Orderable):
    page = ParentalKey(
        EventPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="related_articles"
    )
    article = models.ForeignKey(
        "portal.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("An article about it."),
    )

    panels = [PageChooserPanel("article", "portal.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")


class ProgrammesPage(IntroductionMixin, PortalPage):
    """Programmes et appels à candidatures: the calls still open, the nearest deadline first, then the closed ones."""

    content_panels = (
        Page.content_panels
        + IntroductionMixin.introduction_panels
        + [InlinePanel("calls", heading=_("Appels à candidatures"), label=_("Appel"))]
    )
    search_fields = (
        PortalPage.search_fields
        + IntroductionMixin.introduction_search_fields
        + [index.RelatedFields("calls", [SearchText("title"), SearchText("summary")])]
    )

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    # Served from the cached route with its calls and their organisers loaded.
    display_prefetch = ("calls__organiser",)

    # Closed calls stay listed for a while: founders look for the next edition.
    CLOSED_SHOWN = 20

    class Meta:
        verbose_name = _("page des programmes et appels")
        verbose_name_plural = _("pages des programmes et appels")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # "Open" changes at midnight: the page cache keeps a page for minutes, not days.
        today = timezone.localdate()
        calls = list(self.calls.all())
        still_open = sorted((c for c in calls if c.deadline >= today), key=lambda c: (c.deadline, c.pk))
        closed = sorted((c for c in calls if c.deadline < today), key=lambda c: (c.deadline, c.pk), reverse=True)
        context["call_groups"] = [
            {"name": "open", "open": True, "calls": still_open},
            {"name": "closed", "open": False, "calls": closed[: self.CLOSED_SHOWN]},
        ]
        return context


class ProgrammeCall(Orderable):
    """One call for applications: an accelerator, a grant, a prize, a tender for startups."""

    page = ParentalKey(ProgrammesPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(
        _("intitulé"),
        max_length=200,
        help_text=_("Le nom du programme ou de l'appel, tel que l'annonce le donne."),
    )
    organiser = models.ForeignKey(
        "brand.Organisation",
        verbose_name=_("organisateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("L'organisation qui lance l'appel, si elle est dans l'annuaire."),
    )
    deadline = models.DateField(
        _("date limite"),
        help_text=_("Le dernier jour pour candidater ; l'appel est clos le lendemain."),
    )
    summary = models.TextField(
        _("résumé"),
        max_length=600,
        help_text=_("Pour qui, ce qui est offert, comment candidater : trois phrases."),
    )
    apply_url = models.URLField(
        _("lien de candidature"),
        max_length=500,
        help_text=_("La page où l'on candidate ou lit le règlement."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("organiser"),
        FieldPanel("deadline"),
        FieldPanel("summary"),
        FieldPanel("apply_url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")

    def __str__(self):
        return self.title
