"""The admin's password reset, limited like the public forms.

Wagtail's view sends a mail for every request: anyone could flood an
editor's mailbox, or the mail server, from a script. Per visitor address at
most RATE_LIMIT requests an hour (then a 429 with the form); per account
address at most MAILS_PER_ADDRESS mails an hour, past which the same
confirmation is shown without sending (the answer never tells whether an
address has an account).
"""

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import PasswordResetView

from portal.core.ratelimit import over_limit

RATE_LIMIT = 10
MAILS_PER_ADDRESS = 3
WINDOW = 60 * 60


class RateLimitedPasswordResetView(PasswordResetView):
    def post(self, request, *args, **kwargs):
        if over_limit(request, "password-reset", RATE_LIMIT, WINDOW):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Trop de demandes depuis votre adresse : réessayez dans une heure."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data.get("email", "").strip().lower()
        if over_limit(self.request, "password-reset-mail", MAILS_PER_ADDRESS, WINDOW, identity=email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
