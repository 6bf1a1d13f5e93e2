"""How current the directory is: "Fiche vérifiée le", the yearly reminder, stale profiles.

A profile is verified when a moderator publishes it from the founder's data
(the accepted application, an approved update) or when the founder confirms
it from a link. REVIEW_DAYS after that, the founder is reminded once; a
profile still unconfirmed GRACE_DAYS later is stale: flagged on the
moderators' dashboard and list, and left out of the home's featured
startups. `review()` runs once a day (`manage.py review_members`, from the
scheduler); running it more often sends nothing twice.
"""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from brand.membership import erasure, mails
from brand.models import StartupApplication, StartupPage
from portal.core.cache import invalidate

REVIEW_DAYS = 365
GRACE_DAYS = 60
# Declined applications keep the founder's contact data this long after the decision.
DECLINED_RETENTION_DAYS = 365


def review_due_before(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=REVIEW_DAYS)


def stale_before(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=REVIEW_DAYS + GRACE_DAYS)


def fresh(startups, now=None):
    """The startups whose profile was verified within the review period and its grace."""
    return startups.filter(verified_at__gte=stale_before(now))


def stale(startups, now=None):
    return startups.filter(Q(verified_at__lt=stale_before(now)) | Q(verified_at__isnull=True))


def mark_verified(page, when=None):
    """Set "Fiche vérifiée le" without a revision (StartupPage.with_content_json keeps it)."""
    when = when or timezone.now()
    StartupPage.objects.filter(pk=page.pk).update(verified_at=when)
    page.verified_at = when
    # The page shows the date; the home's featured startups and the figures count it.
    invalidate(page, StartupPage)


def due_for_reminder(now=None):
    """Applications whose live profile is a year old and whose founder was not reminded since."""
    return (
        StartupApplication.objects.filter(
            erased_at__isnull=True,
            page__live=True,
            page__verified_at__lt=review_due_before(now),
        )
        .exclude(email="")
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("page__verified_at")))
    )


def review(now=None, log=lambda message: None):
    """The daily round: reminders, expired retention; {"reminded": n, "anonymised": n, "stale": n}."""
    now = now or timezone.now()
    reminded = 0
    for application in due_for_reminder(now).order_by("pk"):
        # Claimed before the mail is queued: a second round the same day finds nothing to do.
        if StartupApplication.objects.filter(pk=application.pk, reminded_at=application.reminded_at).update(
            reminded_at=now
        ):
            mails.send_link.enqueue(application.pk, mails.REMINDER)
            reminded += 1
    anonymised = erasure.expire_declined(now - datetime.timedelta(days=DECLINED_RETENTION_DAYS))
    stale_count = stale(StartupPage.objects.live(), now).count()
    # Profiles go stale with time alone, not with a save: the listings that leave them out
    # (the home's featured startups, the figures) are recomputed once a day.
    invalidate(StartupPage)
    log(f"{reminded} reminder(s) queued, {anonymised} declined application(s) anonymised, {stale_count} stale")
    return {"reminded": reminded, "anonymised": anonymised, "stale": stale_count}
