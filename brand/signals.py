"""Keeping mentions and applications in step with what editors publish."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, published, unpublished

from brand import mentions, tasks
from brand.membership import decisions
from brand.models import Organisation, StartupPage
from portal.news.models import ArticlePage


def organisation_published(sender, instance, **kwargs):
    # Its names may have changed, or it became public or stopped being: relink every live
    # article. Linear in the articles: in the background, not in the editor's request.
    tasks.relink_all_articles.enqueue()


def article_published(sender, instance, **kwargs):
    mentions.refresh_article(instance)


def startup_published(sender, instance, **kwargs):
    decisions.startup_published(instance)
    mentions.refresh_startup(instance)


@receiver(pre_delete, sender=StartupPage)
def startup_deleted(sender, instance, **kwargs):
    # Deleting a submitted draft is one way a moderator turns an application down.
    decisions.draft_deleted(instance)


def connect():
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="brand-article-mentions")
    page_published.connect(startup_published, sender=StartupPage, dispatch_uid="brand-startup-published")
    published.connect(organisation_published, sender=Organisation, dispatch_uid="brand-organisation-published")
    unpublished.connect(organisation_published, sender=Organisation, dispatch_uid="brand-organisation-unpublished")
