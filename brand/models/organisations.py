"""Partner organisations (snippets) and the articles that mention them."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from portal.core.search_analysis import SearchText


class OrganisationQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def live(self):
        """Published organisations: what visitors, the API and the article links see."""
        return self.filter(live=True)


class Organisation(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model
):
    """A partner organisation. Editors' changes are drafts until a moderator publishes them
    (the same workflow as pages); visitors only ever see the published version."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministère")
        PUBLIC_AGENCY = "public_agency", _("Agence publique")
        FEDERATION = "federation", _("Fédération")
        ASSOCIATION = "association", _("Association")
        CLUSTER = "cluster", _("Cluster")
        SCHOOL = "school", _("École")
        COMPANY = "company", _("Entreprise")
        FOREIGN_AGENCY = "foreign_agency", _("Agence étrangère")

    name = models.CharField(
        verbose_name=_("name"),
        max_length=255,
        help_text=_("Full official name, e.g. “Agence de Développement du Digital”."),
    )
    acronym = models.CharField(
        verbose_name=_("acronym"),
        max_length=30,
        blank=True,
        help_text=_("Short name, e.g. “ADD”. Leave empty if none."),
    )
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=100,
        allow_unicode=True,
        help_text=_(
            "The last part of the organisation's web address, e.g. “add” for /fr/moroccotech/organisations/add/."
        ),
    )
    kind = models.CharField(
        verbose_name=_("kind"), max_length=20, choices=Kind.choices, help_text=_("What sort of body this is.")
    )
    city = models.CharField(
        verbose_name=_("city"), max_length=100, blank=True, help_text=_("City of its head office, e.g. “Rabat”.")
    )
    country = models.CharField(
        verbose_name=_("country"), max_length=100, default="Maroc", help_text=_("Country of its head office.")
    )
    website = models.URLField(verbose_name=_("website"), blank=True, help_text=_("Official website, if known."))
    description = models.TextField(
        verbose_name=_("description"),
        blank=True,
        help_text=_("Two or three sentences on what it does and its part in the ecosystem."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. A logo on a transparent or white background; its alt text is the name."),
    )
    aliases = models.TextField(
        verbose_name=_("other names"),
        blank=True,
        help_text=_(
            "Other names articles use for it, one per line (e.g. “ministère de la Transition "
            "numérique”). Articles naming it are linked to it automatically."
        ),
    )

    objects = OrganisationQuerySet.as_manager()
    # Wagtail's revisions and workflow states of a snippet, reachable from it (Wagtail's documented pattern).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="organisation")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="organisation",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        MultiFieldPanel([FieldPanel("city"), FieldPanel("country")], heading=_("Location")),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("aliases"),
    ]

    search_fields = [
        # A search for "APEBI" must rank the APEBI above the pages that mention it.
        SearchText("name", boost=3),
        SearchText("acronym", boost=5),
        SearchText("aliases", boost=3),
        SearchText("description"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("locale_id"),
        index.FilterField("locale"),
        index.FilterField("translation_key"),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="brand_organisation_unique_slug_locale")
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def short_name(self):
        return self.acronym or self.name

    def mention_names(self):
        return [self.name, self.acronym, *self.aliases.splitlines()]


class ArticleMention(models.Model):
    """An article linked to an organisation: named in its text, or linked by an editor.

    Materialised on publish (see brand.mentions) so that an organisation's page
    lists its articles with one query.
    """

    article = models.ForeignKey(
        "portal.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="organisation_mentions",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="article_mentions"
    )
    named_in_text = models.BooleanField(verbose_name=_("named in the text"), default=True)

    class Meta:
        verbose_name = _("organisation named in an article")
        constraints = [
            models.UniqueConstraint(fields=["article", "organisation"], name="brand_articlemention_unique")
        ]

    def __str__(self):
        return f"{self.article_id} → {self.organisation_id}"


class ArticleOrganisationLink(Orderable):
    """An editor's decision about one organisation for one article, kept in its revisions."""

    class Relation(models.TextChoices):
        LINK = "link", _("Lier l'article à cette organisation")
        UNLINK = "unlink", _("Ne pas lier, même si le texte la nomme")

    article = ParentalKey(
        "portal.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="organisation_links",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The organisation concerned."),
    )
    relation = models.CharField(
        verbose_name=_("relation"),
        max_length=10,
        choices=Relation.choices,
        default=Relation.LINK,
        help_text=_(
            "Organisations the article names are linked automatically; use this to add one it "
            "does not name, or to remove one it names but is not about."
        ),
    )

    panels = [FieldPanel("organisation"), FieldPanel("relation")]

    def __str__(self):
        return f"{self.relation}: {self.organisation_id}"

    class Meta(Orderable.Meta):
        verbose_name = _("organisation linked by hand")
