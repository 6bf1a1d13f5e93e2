"""Every mail to a founder: in the application's language, plain text and HTML, sent by the worker.

Each is a background task (portal.core.tasks.retried): a slow or failing mail
server neither holds the moderator's or founder's request nor loses the
mail. Each sent mail is written on the application (its last mail, in the
moderators' list) and in its history (Wagtail's log, without the address).
A decision is sent once: the task claims it in the database before sending,
and gives the claim back if the mail server fails, for the retry.
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext_noop
from wagtail.log_actions import log
from wagtail.models import Locale

from brand.membership import links
from brand.models import FounderMail, StartupApplication
from portal.core.mail import absolute_url, build_mail
from portal.core.tasks import retried

logger = logging.getLogger(__name__)

ACCEPTED, DECLINED, UPDATE_LINK, ERASE_LINK, REMINDER = (
    FounderMail.ACCEPTED,
    FounderMail.DECLINED,
    FounderMail.UPDATE_LINK,
    FounderMail.ERASE_LINK,
    FounderMail.REMINDER,
)
SUBJECTS = {
    ACCEPTED: gettext_noop("Votre startup rejoint MoroccoTech"),
    DECLINED: gettext_noop("Votre candidature à MoroccoTech"),
    UPDATE_LINK: gettext_noop("Votre lien pour mettre à jour la fiche de votre startup"),
    ERASE_LINK: gettext_noop("Votre lien pour effacer vos données personnelles"),
    REMINDER: gettext_noop("Votre fiche MoroccoTech est-elle toujours à jour ?"),
}
LOG_ACTION = "brand.founder_mail"


def reachable(application_id):
    """The application, if its founder can still be written to."""
    return (
        StartupApplication.objects.filter(pk=application_id, erased_at__isnull=True)
        .exclude(email="")
        .select_related("page", "decline_reason")
        .first()
    )


def public_url(page, language):
    """The startup's public page, in the founder's language when it is translated."""
    locale = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(locale) if locale else None
    shown = translated if translated is not None and translated.live else page
    return absolute_url(shown.get_url_parts()[2])


def context_for(application, kind):
    language = links.founder_language(application)
    context = {"application": application, "days": links.LINK_DAYS}
    if application.page_id and kind != DECLINED:
        context["update_url"] = links.link_for(application, links.UPDATE)
    if kind == ACCEPTED:
        context["page_url"] = public_url(application.page, language)
    if kind == DECLINED and application.decline_reason:
        context["reason"] = application.decline_reason.in_language(language).text
    if kind == REMINDER:
        context["confirm_url"] = links.link_for(application, links.CONFIRM)
        context["page_url"] = public_url(application.page, language)
    # Every mail says how to have one's data erased (law 09-08), the erasure link's own mail aside.
    context["erase_url"] = links.link_for(application, links.ERASE)
    return context


def build(application, kind):
    return build_mail(
        f"brand/membership/mail/{kind!s}",
        context_for(application, kind),
        language=links.founder_language(application),
        to=[application.email],
        subject=SUBJECTS[kind],
    )


def record(application, kind):
    now = timezone.now()
    StartupApplication.objects.filter(pk=application.pk).update(last_mail=kind, last_mail_at=now)
    # The history says what was sent and in which language, never to which address (erasure keeps it).
    log(
        instance=application,
        action=LOG_ACTION,
        data={"kind": str(kind), "language": links.founder_language(application)},
    )


@retried
def send_decision(application_id):
    """The moderator's decision, once, whatever the number of saves or retries."""
    application = reachable(application_id)
    if application is None:
        return "nobody to write to"
    kind = {StartupApplication.Status.APPROVED: ACCEPTED, StartupApplication.Status.REJECTED: DECLINED}.get(
        application.status
    )
    if kind is None or (kind == ACCEPTED and application.page_id is None):
        return "no decision"
    claimed = StartupApplication.objects.filter(pk=application.pk, decision_mailed_at__isnull=True).update(
        decision_mailed_at=timezone.now()
    )
    if not claimed:
        return "already sent"
    try:
        build(application, kind).send()
    except Exception:
        StartupApplication.objects.filter(pk=application.pk).update(decision_mailed_at=None)
        raise
    record(application, kind)
    return kind


@retried
def send_link(application_id, kind):
    """An update or erasure link the founder asked for, or the yearly reminder."""
    if kind not in (UPDATE_LINK, ERASE_LINK, REMINDER):
        raise ValueError(f"not a founder's link mail: {kind}")
    application = reachable(application_id)
    if application is None or (kind != ERASE_LINK and application.page_id is None):
        return "nobody to write to"
    build(application, kind).send()
    record(application, kind)
    return kind
