"""The founder's signed links: no account, one startup, one purpose, a few days, once.

A token carries the application, its startup page and the application's
current link key, signed with a salt per purpose: an update link cannot
erase, nor open another startup. Using any link changes the key, so every
link given out before stops working (reused links are refused); links
expire after LINK_DAYS.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from brand.models import StartupApplication
from portal.core.mail import absolute_url

LINK_DAYS = 7
UPDATE, CONFIRM, ERASE = "update", "confirm", "erase"
PURPOSES = (UPDATE, CONFIRM, ERASE)
# The languages founders' mails and pages are written in; an application made in another
# (Amazigh, whose catalogue does not cover them yet) is answered in the default language.
FOUNDER_LANGUAGES = ("fr", "ar", "en")
URL_NAMES = {UPDATE: "member_update", CONFIRM: "member_confirm", ERASE: "member_erase"}


class LinkRefused(Exception):
    """Why a link does not open: "expired", "used" or "invalid" (tampered, wrong startup or purpose)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def salt(purpose):
    return f"brand.membership.{purpose}"


def token_for(application, purpose):
    payload = {"a": application.pk, "p": application.page_id or 0, "n": application.link_nonce}
    return signing.dumps(payload, salt=salt(purpose), compress=True)


def founder_language(application):
    return application.language if application.language in FOUNDER_LANGUAGES else settings.LANGUAGE_CODE


def link_for(application, purpose):
    """The absolute URL of the page this link opens, in the founder's language."""
    kwargs = {"token": token_for(application, purpose)}
    if purpose != ERASE:  # the startup it opens is in its address too
        kwargs["page_id"] = application.page_id
    with translation.override(founder_language(application)):
        path = reverse(URL_NAMES[purpose], kwargs=kwargs)
    return absolute_url(path)


def read(token, purpose, page_id=None):
    """The application a link opens, or LinkRefused. `page_id`: the startup the link is used on."""
    try:
        data = signing.loads(token, salt=salt(purpose), max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not (isinstance(data, dict) and isinstance(data.get("a"), int) and isinstance(data.get("n"), str)):
        raise LinkRefused("invalid")
    if page_id is not None and data.get("p") != page_id:
        raise LinkRefused("invalid")
    application = StartupApplication.objects.filter(pk=data["a"], erased_at__isnull=True).first()
    if application is None or (purpose != ERASE and application.page_id is None):
        raise LinkRefused("invalid")
    if application.page_id != (data.get("p") or None):
        raise LinkRefused("invalid")
    if application.link_nonce != data["n"]:
        raise LinkRefused("used")
    return application


def use(application):
    """Spend the link: False when another request spent it first (a double submit)."""
    spent = StartupApplication.objects.filter(pk=application.pk, link_nonce=application.link_nonce).update(
        link_nonce=secrets.token_hex(8)
    )
    return spent == 1
