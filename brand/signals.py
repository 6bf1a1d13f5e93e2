"""Keeping mentions and applications in step with what editors publish."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, published, unpublished

from brand import mentions, tasks
from brand.models import Organisation, StartupApplication, StartupPage
from portal.news.models import ArticlePage


def organisation_published(sender, instance, **kwargs):
    # Its names may have changed, or it became public or stopped being: relink every live
    # article. Linear in the articles: in the background, not in the editor's request.
    tasks.relink_all_articles.enqueue()


def article_published(sender, instance, **kwargs):
    mentions.refresh_article(instance)


def startup_published(sender, instance, **kwargs):
    StartupApplication.objects.filter(page=instance, status=StartupApplication.Status.PENDING).update(
        status=StartupApplication.Status.APPROVED
    )
    mentions.refresh_startup(instance)


@receiver(pre_delete, sender=StartupPage)
def startup_deleted(sender, instance, **kwargs):
    # Deleting a submitted draft is how a moderator turns an application down.
    StartupApplication.objects.filter(page=instance, status=StartupApplication.Status.PENDING).update(
        status=StartupApplication.Status.REJECTED
    )


def connect():
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="brand-article-mentions")
    page_published.connect(startup_published, sender=StartupPage, dispatch_uid="brand-startup-published")
    published.connect(organisation_published, sender=Organisation, dispatch_uid="brand-organisation-published")
    unpublished.connect(organisation_published, sender=Organisation, dispatch_uid="brand-organisation-unpublished")
