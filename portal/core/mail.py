"""Mails to the public: in the recipient's language, as plain text with an HTML alternative.

Every link in them starts with the configured public address
(WAGTAILADMIN_BASE_URL), never the request's Host: a link in a mail must
point to us whoever asked for the mail.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def build_mail(template, context, *, language, to, subject, headers=None):
    """`template` + ".txt" and ".html", rendered in `language`; `subject` is a msgid."""
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        subject = translation.gettext(subject)
    # A subject holds on one line whatever a name in it holds.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message
