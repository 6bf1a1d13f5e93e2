"""The member-startup directory and the form founders use to join the label."""

import datetime
import secrets

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.search import index

from portal.core import seo
from portal.core.cache import RESTRICTIONS, cached_value, children_of
from portal.core.listings import Filter, FilteredListingMixin
from portal.core.pages import IntroductionMixin, PortalPage
from portal.core.pagination import cached_list, cached_page
from portal.core.search_analysis import SearchText
from portal.core.visibility import visible
from portal.news.models import ArticlePage

STARTUPS_PER_PAGE = 24


def reasons_in_the_default_language():
    return {"locale__language_code": settings.LANGUAGE_CODE}


def new_link_nonce():
    return secrets.token_hex(8)


def validate_founded_year(value):
    if value > datetime.date.today().year:
        raise ValidationError(_("The year founded cannot be in the future."))


class Sector(TranslatableMixin, models.Model):
    """A sector of the controlled list editors manage (Agritech, Fintech...)."""

    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
        help_text=_("As visitors read it, e.g. “Intelligence artificielle”."),
    )
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=100,
        help_text=_("Used in directory links (?sector=...); keep it the same in every language."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("sector")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="brand_sector_unique_slug_locale")]

    def __str__(self):
        return self.name


class City(TranslatableMixin, models.Model):
    """A city of the editable list (Casablanca, Rabat, Marrakech...)."""

    name = models.CharField(verbose_name=_("name"), max_length=100, help_text=_("e.g. “Fès”."))
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=100,
        help_text=_("Used in directory links (?city=...); keep it the same in every language."),
    )
    region = models.CharField(
        verbose_name=_("region"), max_length=100, blank=True, help_text=_("Optional, e.g. “Fès-Meknès”.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("region")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="brand_city_unique_slug_locale")]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    IDEA = "idea", _("Idée")
    SEED = "seed", _("Amorçage")
    SERIES_A = "series_a", _("Série A")
    GROWTH = "growth", _("Croissance")


class TeamSize(models.TextChoices):
    SOLO = "1-10", _("1 à 10 personnes")
    SMALL = "11-50", _("11 à 50 personnes")
    MEDIUM = "51-200", _("51 à 200 personnes")
    LARGE = "201+", _("Plus de 200 personnes")


def matching_text(queryset, q):
    return queryset.filter(Q(title__icontains=q) | Q(pitch__icontains=q) | Q(description__icontains=q))


class StartupIndexPage(FilteredListingMixin, IntroductionMixin, PortalPage):
    """The directory (/fr/startups/): filters by sector, city, stage and text, with counts."""

    search_result_group = None

    content_panels = Page.content_panels + IntroductionMixin.introduction_panels
    search_fields = PortalPage.search_fields + IntroductionMixin.introduction_search_fields

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["brand.StartupPage", "brand.StartupApplicationPage"]
    max_count_per_parent = 1

    filters = (
        Filter("sector", "sectors__slug"),
        Filter("city", "city__slug"),
        Filter("stage", "stage", max_length=20, allowed=Stage.values),
        Filter("q", matching_text, max_length=200),
    )
    csv_filename = "moroccotech-startups.csv"
    csv_columns = (
        ("nom", lambda s, request: s.title),
        ("url", lambda s, request: s.get_full_url(request)),
        ("pitch", lambda s, request: s.pitch),
        ("secteurs", lambda s, request: "; ".join(x.name for x in s.sectors.all())),
        ("ville", lambda s, request: s.city.name if s.city else ""),
        ("stade", lambda s, request: s.get_stage_display()),
        ("annee_creation", lambda s, request: s.founded_year),
        ("equipe", lambda s, request: s.get_team_size_display()),
        ("site_web", lambda s, request: s.website),
        ("membre_depuis", lambda s, request: s.member_since),
        ("exemple_fictif", lambda s, request: "oui" if s.is_sample else "non"),
    )

    class Meta:
        verbose_name = _("startup directory")

    def listed(self):
        # This language's startups, and the French ones not translated into it.
        return visible(StartupPage.objects.all(), self.locale)

    def csv_items(self, filters):
        return self.filtered(filters)

    def facets(self, base, filters):
        """Counts for each choice given the other filters: three grouped queries, whatever the size."""
        ids = lambda skip: self.apply_filters(base, filters, skip=skip).values("pk")  # noqa: E731
        sector_counts = dict(
            StartupPage.sectors.through.objects.filter(startuppage_id__in=ids("sector"))
            .order_by()
            .values_list("sector__slug")
            .annotate(n=Count("startuppage_id", distinct=True))
        )
        # order_by() clears Page's default ordering by path, which would
        # otherwise join the GROUP BY and split every count.
        city_counts = dict(
            StartupPage.objects.filter(pk__in=ids("city"), city__isnull=False)
            .order_by()
            .values_list("city__slug")
            .annotate(n=Count("pk"))
        )
        stage_counts = dict(
            StartupPage.objects.filter(pk__in=ids("stage")).order_by().values_list("stage").annotate(n=Count("pk"))
        )
        sectors = Sector.objects.filter(locale=self.locale)
        cities = City.objects.filter(locale=self.locale)
        return {
            "sector": [(s.slug, s.name, sector_counts.get(s.slug, 0)) for s in sectors],
            "city": [(c.slug, c.name, city_counts.get(c.slug, 0)) for c in cities],
            # Plain strings in the page's language: the facets are cached pickled, and
            # unpickling a lazy translation builds a proxy class each time.
            "stage": [(value, str(label), stage_counts.get(value, 0)) for value, label in Stage.choices],
        }

    def filtered(self, filters):
        return (
            self.apply_filters(self.listed(), filters)
            .distinct()
            .select_related("city", "logo", "locale")
            .prefetch_related("sectors")
            .order_by("title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.read_filters(request)
        results = self.filtered(filters)
        # Keyed by what the listing is built from: this directory (its language) and the filters.
        page = cached_page(
            results, STARTUPS_PER_PAGE, request.GET.get("page"), key=("startups", self.pk, sorted(filters.items()))
        )
        # Three grouped counts over the whole directory: the same until content changes.
        # Keyed, so the view restrictions `base` was built with are a dependency to name.
        facets = cached_value(
            "facets",
            (self.pk, sorted(filters.items())),
            lambda: self.facets(self.listed(), filters),
            shows=(StartupPage, Sector, City, RESTRICTIONS),
        )
        context.update(
            startups=page,
            facets=facets,
            filter_groups=[
                ("sector", _("Secteur"), filters["sector"], facets["sector"]),
                ("city", _("Ville"), filters["city"], facets["city"]),
                ("stage", _("Stade"), filters["stage"], facets["stage"]),
            ],
            **self.filter_context(filters),
            application_page=cached_value(
                "application-page",
                (self.pk,),
                # By name: the application page's module builds on this one (brand/models/application_page.py).
                lambda: apps.get_model("brand", "StartupApplicationPage").objects.child_of(self).live().first(),
                shows=(children_of(self),),
            ),
        )
        return context


class StartupPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "brand.StartupPage", verbose_name=_("item"), on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("startup tag")


class StartupPage(PortalPage):
    """A member startup of the label."""

    search_result_group = "startups"
    # The directory sorts by title and searches title, pitch and description; filters and
    # figures by sector, city, stage, year; home by membership date; organisation pages by link.
    listed_by = (
        "title",
        "pitch",
        "description",
        "sectors",
        "city_id",
        "stage",
        "member_since",
        "organisations",
        "tags",
        "is_sample",
    )

    pitch = models.CharField(
        verbose_name=_("pitch"),
        max_length=160,
        help_text=_("One line on what the startup does, for cards and search."),
    )
    description = RichTextField(
        verbose_name=_("description"),
        features=["bold", "italic", "link", "ol", "ul"],
        blank=True,
        help_text=_("What the startup does, for whom, and what sets it apart."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Square logo; its alt text is the startup's name."),
    )
    sectors = ParentalManyToManyField(
        Sector,
        verbose_name=_("sectors"),
        blank=True,
        related_name="startups",
        help_text=_("One to three sectors from the controlled list."),
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="startups",
        help_text=_("Head office."),
    )
    founded_year = models.PositiveSmallIntegerField(
        verbose_name=_("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), validate_founded_year],
        help_text=_("The year the company was founded."),
    )
    stage = models.CharField(
        verbose_name=_("stage"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_("Stage of development."),
    )
    team_size = models.CharField(
        verbose_name=_("team size"),
        max_length=10,
        choices=TeamSize.choices,
        blank=True,
        help_text=_("People employed."),
    )
    website = models.URLField(verbose_name=_("website"), blank=True, help_text=_("The startup's website."))
    linkedin_url = models.URLField(verbose_name=_("LinkedIn page"), blank=True, help_text=_("LinkedIn page."))
    x_url = models.URLField(verbose_name=_("X account"), blank=True, help_text=_("X (Twitter) account."))
    facebook_url = models.URLField(verbose_name=_("Facebook page"), blank=True, help_text=_("Facebook page."))
    member_since = models.DateField(
        verbose_name=_("member since"),
        null=True,
        blank=True,
        help_text=_("The date the startup received the MoroccoTech label."),
    )
    organisations = ParentalManyToManyField(
        "brand.Organisation",
        verbose_name=_("organisations"),
        blank=True,
        related_name="startups",
        help_text=_("Incubators, accelerators or programmes it belongs to (shown on their pages)."),
    )
    tags = ClusterTaggableManager(
        through=StartupPageTag, blank=True, verbose_name=_("tags"), help_text=_("Free keywords.")
    )
    is_sample = models.BooleanField(
        verbose_name=_("sample"),
        default=False,
        help_text=_("Sample data for demonstrations: the page says the company is fictitious."),
    )
    verified_at = models.DateTimeField(
        verbose_name=_("profile verified on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a moderator last published it with the founder's data, or the founder last confirmed it "
            "(“Fiche vérifiée le”). Set by the portal."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("pitch"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("sectors"),
                FieldPanel("city"),
                FieldPanel("founded_year"),
                FieldPanel("stage"),
                FieldPanel("team_size"),
            ],
            heading=_("Facts"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("linkedin_url"), FieldPanel("x_url"), FieldPanel("facebook_url")],
            heading=_("Links"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("member_since"),
                FieldPanel("organisations"),
                FieldPanel("tags"),
                FieldPanel("is_sample"),
                FieldPanel("verified_at", read_only=True),
            ],
            heading=_("Label"),
        ),
    ]

    search_fields = PortalPage.search_fields + [
        SearchText("pitch"),
        SearchText("description"),
        # "fintech", "Agadir": a startup is found by its sectors and its city.
        index.RelatedFields("sectors", [SearchText("name")]),
        index.RelatedFields("city", [SearchText("name")]),
        index.FilterField("stage"),
    ]

    api_fields = [
        APIField("pitch"),
        APIField("description"),
        APIField("sector_names", serializer=serializers.ListField(child=serializers.CharField())),
        APIField("city_name", serializer=serializers.CharField()),
        APIField("founded_year"),
        APIField("stage"),
        APIField("team_size"),
        APIField("website"),
        APIField("linkedin_url"),
        APIField("x_url"),
        APIField("facebook_url"),
        APIField("member_since"),
        APIField("is_sample"),
    ]

    parent_page_types = ["brand.StartupIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("startup")

    @property
    def sector_names(self):
        return [sector.name for sector in self.sectors.all()]

    @property
    def city_name(self):
        return self.city.name if self.city else ""

    # Served from the cached route with these loaded (portal.core.cache.routing.prepare_for_display).
    display_related = ("city", "logo")
    display_prefetch = ("sectors",)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory_url"] = self.get_parent().get_url(request)
        context["startup_sectors"] = list(self.sectors.all())
        # Any article published may mention this startup (a listing: it depends on every article).
        context["related_articles"] = cached_list(
            ArticlePage.objects.listing().filter(startup_mentions__startup=self)[:6],
            # Built from this startup alone: naming it spares compiling the SQL for a key.
            key=("startup-articles", self.pk),
        )
        return context

    def with_content_json(self, content):
        # The verification date belongs to the page as a whole, like first_published_at: a
        # founder's confirmation sets it without a revision, and publishing a revision saved
        # before that confirmation must not put the older date back (Wagtail documents this
        # method as the place for such fields).
        page = super().with_content_json(content)
        page.verified_at = self.verified_at
        return page

    @staticmethod
    def names_from(title):
        """The names an article may call a startup by, from its columns (brand.mentions reads rows, not pages)."""
        return [title]

    def mention_names(self):
        return self.names_from(self.title)

    def social_text(self):
        return self.pitch

    def social_image_fallback(self):
        return self.logo

    def structured_data(self, request):
        return seo.startup(self, request, list(self.sectors.all()))


class StartupMention(models.Model):
    """An article that names a startup, materialised on publish (see brand.mentions)."""

    article = models.ForeignKey(
        "portal.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="startup_mentions"
    )
    startup = models.ForeignKey(
        StartupPage, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="article_mentions"
    )

    class Meta:
        verbose_name = _("startup named in an article")
        constraints = [models.UniqueConstraint(fields=["article", "startup"], name="brand_startupmention_unique")]

    def __str__(self):
        return f"{self.article_id} → {self.startup_id}"


class FounderMail(models.TextChoices):
    ACCEPTED = "accepted", _("acceptance")
    DECLINED = "declined", _("refusal")
    UPDATE_LINK = "update_link", _("update link")
    ERASE_LINK = "erase_link", _("erasure link")
    REMINDER = "reminder", _("yearly reminder")


class StartupApplication(models.Model):
    """A founder's submission: the contact details stay here, never on the public page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REJECTED = "rejected", _("Refusée")

    page = models.OneToOneField(
        StartupPage,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    startup_name = models.CharField(verbose_name=_("startup name"), max_length=255)
    founder_name = models.CharField(verbose_name=_("founder's name"), max_length=200, blank=True)
    # Blank once the founder's personal data is erased (brand.membership.erasure).
    email = models.EmailField(verbose_name=_("e-mail address"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=40, blank=True)
    message = models.TextField(verbose_name=_("message"), blank=True)
    language = models.CharField(
        verbose_name=_("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("The language of the form the founder used: every mail to them is in it."),
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), auto_now_add=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_(
            "Publishing the startup's page accepts the application. To decline it, choose “Refusée” and "
            "a reason: the founder is told by e-mail when you save."
        ),
    )
    decline_reason = models.ForeignKey(
        "brand.DeclineReason",
        verbose_name=_("reason for declining"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # One entry per reason: the mail takes its translation into the founder's language.
        limit_choices_to=reasons_in_the_default_language,
        help_text=_("Required to decline: its text is sent to the founder, in their language."),
    )
    decision_message = models.TextField(
        verbose_name=_("message to the founder"),
        blank=True,
        max_length=2000,
        help_text=_("Optional. Added to the decision mail under the reason, as you write it."),
    )
    reviewer_note = models.TextField(
        verbose_name=_("reviewer's note"),
        blank=True,
        help_text=_("Internal note on the decision; never shown publicly."),
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True, editable=False)
    decision_mailed_at = models.DateTimeField(
        verbose_name=_("decision mailed at"), null=True, blank=True, editable=False
    )
    last_mail = models.CharField(
        verbose_name=_("last mail sent"), max_length=20, choices=FounderMail.choices, blank=True, editable=False
    )
    last_mail_at = models.DateTimeField(verbose_name=_("last mail sent at"), null=True, blank=True, editable=False)
    # Changed each time a founder's link is used: every link given out before stops working.
    link_nonce = models.CharField(
        verbose_name=_("link key"), max_length=32, default=new_link_nonce, editable=False
    )
    update_submitted_at = models.DateTimeField(
        verbose_name=_("update submitted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A founder's update waiting for a moderator."),
    )
    reminded_at = models.DateTimeField(verbose_name=_("reminded at"), null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(
        verbose_name=_("personal data erased at"), null=True, blank=True, editable=False
    )

    panels = [
        MultiFieldPanel(
            # A plain list rather than the snippet chooser: a handful of reasons, picked in one step.
            [
                FieldPanel("status"),
                FieldPanel("decline_reason", widget=forms.Select),
                FieldPanel("decision_message"),
            ],
            heading=_("Decision"),
        ),
        FieldPanel("reviewer_note"),
        FieldPanel("startup_name", read_only=True),
        FieldPanel("founder_name", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("phone", read_only=True),
        FieldPanel("language", read_only=True),
        FieldPanel("message", read_only=True),
        FieldPanel("page", read_only=True),
    ]

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("startup application")

    def __str__(self):
        return f"{self.startup_name} ({self.get_status_display()})"

    def verified_on(self):
        return self.page.verified_at if self.page_id else None

    verified_on.short_description = _("profile verified on")

    def public_url(self):
        return self.page.full_url if self.page_id and self.page.live else ""

    public_url.short_description = _("public page")

    def clean(self):
        super().clean()
        previous = type(self).objects.filter(pk=self.pk).values_list("status", "decision_mailed_at").first()
        was, mailed = previous or (self.Status.PENDING, None)
        if self.status == self.Status.APPROVED and was != self.Status.APPROVED:
            raise ValidationError(
                {"status": _("To accept an application, publish the startup's page: the founder is told then.")}
            )
        if was == self.Status.APPROVED and self.status != self.Status.APPROVED:
            raise ValidationError(
                {"status": _("This application was accepted: unpublish or delete the startup's page instead.")}
            )
        if was == self.Status.REJECTED and mailed and self.status != self.Status.REJECTED:
            raise ValidationError({"status": _("The founder has already been told the application was declined.")})
        if self.status == self.Status.REJECTED and self.decline_reason_id is None:
            raise ValidationError({"decline_reason": _("Choose the reason the founder will read.")})


class DeclineReason(TranslatableMixin, models.Model):
    """A reason for declining an application, as the founder reads it; translated like the sectors."""

    title = models.CharField(
        verbose_name=_("title"), max_length=120, help_text=_("What moderators pick from, e.g. “Hors périmètre”.")
    )
    text = models.TextField(
        verbose_name=_("text sent to the founder"),
        max_length=2000,
        help_text=_("The explanation the decision mail gives, written to the founder."),
    )

    panels = [FieldPanel("title"), FieldPanel("text")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("reason for declining")
        verbose_name_plural = _("reasons for declining")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def in_language(self, language):
        """This reason in `language` when translated, else as written."""
        translation = self.get_translation_or_none(Locale.objects.filter(language_code=language).first())
        return translation or self
