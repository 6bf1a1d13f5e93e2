"""The news: articles written here or imported from the press, and their section.

The tree is constrained: one NewsIndexPage under each home, ArticlePages only
under a news index. The importer (portal/news/importers/) creates and updates
ArticlePages; DeletedImport and ArticleImportRun are its memory.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.core import seo
from portal.core.blocks import BodyBlock
from portal.core.cache import cached_value
from portal.core.extensions import NEWS_INDEX_CONTEXT, extra_context
from portal.core.i18n import in_language
from portal.core.pages import IntroductionMixin, LeadImageMixin, PortalPage
from portal.core.pagination import cached_page
from portal.core.query_params import clean_param
from portal.core.search_analysis import SearchText
from portal.core.visibility import public
from portal.news import reading
from portal.news.feeds import NewsFeed

NEWS_PER_PAGE = 12


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", verbose_name=_("item"), related_name="tagged_items", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("article tag")


class ArticlePageQuerySet(PageQuerySet):
    def listing(self, locale=None):
        """Live public articles, newest publication first, with what a card shows.

        The publication date is the source's date; an article without one
        falls back to the day it was first published here, so it still sorts.
        """
        queryset = (
            public(self.live())
            .annotate(sort_date=Coalesce("published_on", TruncDate("first_published_at")))
            # NULLs last on both databases (PostgreSQL puts them first by default).
            .order_by(F("sort_date").desc(nulls_last=True), "-pk")
            .select_related("locale", "lead_image")
            .prefetch_related("tagged_items__tag")
            # Cards and feeds show the standfirst, never the body: listings are
            # cached pickled, and a body costs most of a card's unpickling.
            .defer("body")
        )
        if locale is not None:
            queryset = in_language(queryset, locale)
        return queryset


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ArticlePage(LeadImageMixin, PortalPage):
    """A news article, written here or imported from the press."""

    search_result_group = "articles"
    # The news, tag and home listings sort by date and filter by tag; mentions
    # (organisation, startup and brand pages) are refreshed, and bumped, by brand.mentions.
    listed_by = ("published_on", "tags")

    standfirst = models.TextField(
        verbose_name=_("standfirst"),
        help_text=_("The lead paragraph, shown in bold under the title and on article cards."),
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "The date the source published the article. Leave empty if unknown; "
            "the article then sorts by the day it was first published here."
        ),
    )
    source_name = models.CharField(
        _("source publication"),
        max_length=200,
        blank=True,
        help_text=_("The newspaper or site that published it first, e.g. “L'Opinion”, “Les ECO”."),
    )
    original_url = models.URLField(
        _("original URL"),
        max_length=500,
        blank=True,
        help_text=_("Link to the article on the source's site, if known."),
    )
    author = models.CharField(
        verbose_name=_("author"),
        max_length=200,
        blank=True,
        help_text=_("The journalist's name as the source gives it."),
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("The article after the standfirst: paragraphs, section headings and quotes."),
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag, blank=True, verbose_name=_("tags"), help_text=_("Topics used to group articles.")
    )
    mentions_brand = models.BooleanField(
        verbose_name=_("mentions the brand"),
        default=False,
        editable=False,
        help_text=_("Whether the text names MoroccoTech (computed on publish; lists it on the brand page)."),
    )

    # An import that could not establish a field still creates the article,
    # as a draft to check: the reader of the admin's article list filters on it.
    needs_review = models.BooleanField(
        _("to check"),
        default=False,
        help_text=_(
            "Set by the import when it could not establish every field (see “what to check”). "
            "Clear it once you have checked the article; an import never publishes an article to check."
        ),
    )
    review_notes = models.TextField(
        _("what to check"),
        blank=True,
        help_text=_("What the import could not establish, one point per line."),
    )

    # Provenance of an imported article. Editors see these read-only; the
    # importer uses import_file as the stable key and import_revision to tell
    # whether someone has edited the page since.
    import_file = models.CharField(
        verbose_name=_("imported file"),
        max_length=255,
        blank=True,
        help_text=_("The scraped file this article was imported from (empty if written here)."),
    )
    import_hash = models.CharField(
        verbose_name=_("file fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the imported file's bytes."),
    )
    import_fingerprint = models.CharField(
        verbose_name=_("content fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("Hash of the file, its manifest entry and the parser version at the last import."),
    )
    import_manifest_fields = models.JSONField(
        verbose_name=_("fields from the manifest"),
        default=list,
        blank=True,
        help_text=_("Fields that came from the fixture manifest rather than the file itself."),
    )
    import_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("imported revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The revision the last import wrote."),
    )
    import_run = models.ForeignKey(
        "portal.ArticleImportRun",
        verbose_name=_("import run"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("The import that last wrote this article."),
    )

    objects = ArticlePageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("needs_review"), FieldPanel("review_notes")],
            heading=_("Verification"),
        ),
        FieldPanel("standfirst"),
        *LeadImageMixin.lead_image_panels,
        MultiFieldPanel(
            [
                FieldPanel("published_on"),
                FieldPanel("source_name"),
                FieldPanel("author"),
                FieldPanel("original_url"),
            ],
            heading=_("Source"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel(
            "organisation_links",
            heading=_("Organisations"),
            label=_("Organisation"),
            help_text=_(
                "Organisations the article names are linked automatically when it is published. "
                "Add one here to link it by hand, or to unlink one the text names."
            ),
        ),
        MultiFieldPanel(
            [
                HelpPanel(template="portal/admin/article_import_record_panel.html"),
                FieldPanel("import_file", read_only=True),
                FieldPanel("import_hash", read_only=True),
                FieldPanel("import_manifest_fields", read_only=True),
            ],
            heading=_("Import provenance"),
            classname="collapsed",
        ),
    ]

    search_fields = PortalPage.search_fields + [
        *LeadImageMixin.lead_image_search_fields,
        SearchText("standfirst"),
        SearchText("body"),
        SearchText("author"),
        SearchText("source_name"),
        index.FilterField("published_on"),
    ]

    # The open data: what the article says, never its import bookkeeping.
    api_fields = [
        APIField("standfirst"),
        APIField("published_on"),
        APIField("source_name"),
        APIField("author"),
        APIField("original_url"),
        APIField("body"),
        APIField("tag_names", serializer=serializers.ListField(child=serializers.CharField())),
        *LeadImageMixin.lead_image_api_fields,
    ]

    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    # A copy (duplicate or translation) is not the imported record: it must
    # neither share the import key nor be overwritten by the next import.
    exclude_fields_in_copy = [
        "import_file",
        "import_hash",
        "import_fingerprint",
        "import_manifest_fields",
        "import_revision",
        "import_run",
        "needs_review",
        "review_notes",
    ]

    class Meta:
        verbose_name = _("article")
        constraints = [
            models.UniqueConstraint(
                fields=["import_file"],
                condition=~Q(import_file=""),
                name="portal_article_unique_import_file",
            )
        ]
        # The importer looks each new file up by its bytes' hash (a renamed
        # copy): without it, a read of every article per file.
        indexes = [
            models.Index(fields=["import_hash"], condition=~Q(import_hash=""), name="portal_article_import_hash"),
        ]

    def with_content_json(self, content):
        # The import run is recorded on the page row after the revision is
        # written: a page rebuilt from a revision (the edit form, previews)
        # keeps the row's record rather than the revision's older one.
        page = super().with_content_json(content)
        page.import_run_id = self.import_run_id
        return page

    def save(self, *args, **kwargs):
        if self.import_file and self.is_translation_of_an_import():
            # wagtail-localize copies every text field into a translation, the
            # import record's too: it belongs to the imported original alone.
            for name in self.exclude_fields_in_copy:
                setattr(self, name, self._meta.get_field(name).get_default())
        return super().save(*args, **kwargs)

    def is_translation_of_an_import(self):
        originals = ArticlePage.objects.filter(translation_key=self.translation_key, import_file=self.import_file)
        return originals.exclude(locale_id=self.locale_id).exists()

    @property
    def tag_names(self):
        return [tag.name for tag in self.tags.all()]

    @property
    def display_date(self):
        if self.published_on:
            return self.published_on
        if self.first_published_at:
            return self.first_published_at.date()
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The parent's URL is needed twice (kicker and tag links); resolve it once.
        news_index_url = self.get_parent().get_url(request)
        context["news_index_url"] = news_index_url
        context["news_feed_url"] = f"{news_index_url}rss/" if news_index_url else None
        context["reading"] = SimpleLazyObject(lambda: reading.reading(self))
        context["share_links"] = SimpleLazyObject(
            lambda: reading.share_links(self.get_full_url(request) or "", self.title)
        )
        return context

    og_type = "article"
    # Served from the cached route with these loaded (portal.core.cache.routing.prepare_for_display).
    display_prefetch = ("tags",)

    def social_text(self):
        return self.standfirst

    def social_card(self):
        """What the generated sharing image shows (portal.core.social_cards)."""
        date = self.display_date
        return {
            "title": self.title,
            "kicker": gettext("Actualités"),
            "date": date_format(date, "j F Y") if date else "",
        }

    def structured_data(self, request):
        return seo.news_article(self, request)

    def edited_since_import(self):
        return self.latest_revision_id != self.import_revision_id


class DeletedImport(models.Model):
    """An imported article an editor deleted: the importer does not bring it back.

    Without it, the next setup_portal (every `make run`) would re-create the
    page from its fixture file.
    """

    import_file = models.CharField(verbose_name=_("imported file"), max_length=255, unique=True)
    import_hash = models.CharField(verbose_name=_("file fingerprint"), max_length=64, blank=True, db_index=True)
    title = models.CharField(verbose_name=_("title"), max_length=255)
    deleted_at = models.DateTimeField(verbose_name=_("deleted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deleted imported article")

    def __str__(self):
        return self.import_file


@receiver(post_delete, sender=ArticlePage)
def remember_deleted_import(sender, instance, **kwargs):
    if instance.import_file:
        DeletedImport.objects.update_or_create(
            import_file=instance.import_file,
            defaults={"import_hash": instance.import_hash, "title": instance.title[:255]},
        )


class ArticleImportRun(models.Model):
    """One run of the import (command or admin): what it did, for editors, operators and the dashboard."""

    ORIGINS = [("command", _("command line")), ("admin", _("admin upload"))]

    started_at = models.DateTimeField(verbose_name=_("started at"), auto_now_add=True)
    origin = models.CharField(verbose_name=_("origin"), max_length=20, choices=ORIGINS, default="command")
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    files = models.PositiveIntegerField(verbose_name=_("files"), default=0)
    created = models.PositiveIntegerField(verbose_name=_("created"), default=0)
    updated = models.PositiveIntegerField(verbose_name=_("updated"), default=0)
    skipped = models.PositiveIntegerField(verbose_name=_("skipped"), default=0)
    failed = models.PositiveIntegerField(verbose_name=_("failed"), default=0)
    report = models.JSONField(
        verbose_name=_("report"), default=list, help_text=_("One entry per file: name, status, reason.")
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("article import run")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.files} files, {self.failed} failed"


class ArticleUpload(models.Model):
    """A file uploaded in the admin's import, kept between its preview and the creation of the drafts.

    In the database, not on a disk: the preview and the creation may be
    served by different app servers. Deleted once imported; batches left
    unconfirmed are deleted after a day.
    """

    batch = models.UUIDField(verbose_name=_("batch"))  # indexed by the unique constraint on (batch, name)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    data = models.BinaryField(verbose_name=_("data"))
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["batch", "name"]
        verbose_name = _("uploaded article file")
        constraints = [models.UniqueConstraint(fields=["batch", "name"], name="portal_article_upload_unique_name")]

    def __str__(self):
        return self.name


class ArticleImportBatch(models.Model):
    """An admin import: the uploaded files (ArticleUpload, same batch id), read then written by
    the task worker, so that a batch of hundreds of files never holds an editor's request."""

    class Status(models.TextChoices):
        READING = "reading", _("reading the files")
        READ = "read", _("waiting for the editor's confirmation")
        IMPORTING = "importing", _("writing the drafts")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    id = models.UUIDField(verbose_name=_("batch"), primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True, db_index=True)
    status = models.CharField(verbose_name=_("status"), max_length=20, choices=Status, default=Status.READING)
    files = models.PositiveIntegerField(verbose_name=_("files"), default=0)
    done = models.PositiveIntegerField(
        verbose_name=_("files handled"),
        default=0,
        help_text=_("Files read or written so far by the current step."),
    )
    preview = models.JSONField(
        verbose_name=_("preview"), default=list, help_text=_("One entry per file: what the import would do.")
    )
    error = models.TextField(verbose_name=_("error"), blank=True)
    run = models.ForeignKey(
        ArticleImportRun, verbose_name=_("import record"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article import batch")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}: {self.files} files, {self.get_status_display()}"


class NewsIndexPage(RoutablePageMixin, IntroductionMixin, PortalPage):
    """Actualités: every article, newest first, filterable by tag; RSS feeds."""

    search_result_group = None

    content_panels = Page.content_panels + IntroductionMixin.introduction_panels
    search_fields = PortalPage.search_fields + IntroductionMixin.introduction_search_fields

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.listing(locale=self.locale)

        tag = None
        tag_slug = clean_param(request, "tag")
        if tag_slug:
            # An unknown tag is not an error: the page says nothing matches.
            tag = cached_value(
                "tag",
                (tag_slug,),
                lambda: Tag.objects.filter(slug=tag_slug).first(),
                shows=(Tag,),
                keep=lambda t: t is not None,
            )
            articles = articles.filter(tags__slug=tag_slug) if tag else articles.none()

        # get_page turns page=0, -1, abc or 1e9 into a valid page instead of a 500.
        # Keyed by what the listing is built from: this section (its language) and the tag.
        # An unknown tag matches nothing, which costs no query and is not kept.
        key = None if tag_slug and tag is None else ("news", self.pk, tag.slug if tag else None)
        context["articles"] = cached_page(articles, NEWS_PER_PAGE, request.GET.get("page"), key=key)
        # The events section's calendar link, when an app supplies one (events does).
        context.update(extra_context(NEWS_INDEX_CONTEXT, self, request))
        context["tag"] = tag
        context["tag_slug"] = tag_slug
        return context

    @path("rss/", name="feed")
    def feed(self, request):
        return NewsFeed(self, ArticlePage.objects.listing(locale=self.locale))(request)

    @path("rss/<str:tag_slug>/", name="tag_feed")
    def tag_feed(self, request, tag_slug):
        tag = Tag.objects.filter(slug=tag_slug[:100]).first()
        if tag is None:
            raise Http404
        articles = ArticlePage.objects.listing(locale=self.locale).filter(tags=tag)
        return NewsFeed(self, articles, tag=tag)(request)
