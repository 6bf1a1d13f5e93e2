"""The moderator's decision on an application, and the founder told of it.

Accepting is publishing the startup's page (through the workflow, or by a
moderator directly). Declining is choosing "Refusée" and a reason on the
application in the admin (Écosystème › Candidatures): the draft page, never
published, is deleted. Deleting the draft directly declines too, without a
mail until a reason is chosen. Either way the mail goes once (mails.send_decision).
"""

from django.utils import timezone

from brand.membership import freshness, mails
from brand.models import StartupApplication

Status = StartupApplication.Status


def startup_published(page):
    """A startup page published: an application accepted, or a founder's update approved."""
    now = timezone.now()
    application = StartupApplication.objects.filter(page=page).first()
    verified = page.verified_at is None  # first published: a moderator has just checked it
    if application is not None and application.status == Status.PENDING:
        StartupApplication.objects.filter(pk=application.pk).update(
            status=Status.APPROVED, decided_at=now, update_submitted_at=None
        )
        mails.send_decision.enqueue(application.pk)
        verified = True
    elif application is not None and application.update_submitted_at is not None:
        StartupApplication.objects.filter(pk=application.pk).update(update_submitted_at=None)
        verified = True
    if verified:
        freshness.mark_verified(page, now)


def draft_deleted(page):
    StartupApplication.objects.filter(page=page, status=Status.PENDING).update(
        status=Status.REJECTED, decided_at=timezone.now()
    )


def application_saved(application):
    """After a moderator saves an application in the admin: a refusal with its reason is sent."""
    if application.status != Status.REJECTED or application.decline_reason_id is None:
        return
    if application.decided_at is None:
        StartupApplication.objects.filter(pk=application.pk).update(decided_at=timezone.now())
    page = application.page
    if page is not None and page.first_published_at is None:
        # A declined application's draft has no further use in the directory's tree.
        page.delete()
    if application.decision_mailed_at is None:
        mails.send_decision.enqueue(application.pk)
