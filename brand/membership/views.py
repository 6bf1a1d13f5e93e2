"""The pages a founder's links and requests open. Personal pages: never cached, never indexed.

Asking for a link answers the same whether or not an address is on file:
the page says where the link went ("the address on file"), never what it
is. Asking is rate-limited per connection, and per startup so that nobody
can flood a founder's inbox.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from brand.membership import erasure, freshness, links, mails, updates
from brand.models import StartupApplication, StartupPage
from portal.core.ratelimit import over_limit

RATE_LIMIT = 5  # requests per connection
RATE_WINDOW = 60 * 60  # seconds
LINKS_PER_STARTUP = 3  # link mails per startup
LINKS_WINDOW = 24 * 60 * 60


def public_startup(page_id):
    page = StartupPage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


def trail_to(page, request):
    return [{"title": page.title, "url": page.get_url(request)}] if page is not None else []


def render(request, template, context, status=200):
    return TemplateResponse(request, f"brand/membership/{template}", context, status=status)


def refused(request, reason, page=None):
    context = {"reason": reason, "page": None, "startup": page, "page_title": _("Lien non valable")}
    context["breadcrumb_trail"] = trail_to(page, request)
    return render(request, "refused.html", context, status=400)


def opened(request, token, purpose, page_id):
    """(application, its live startup, None), or (None, None, the page saying why the link does not open)."""
    try:
        application = links.read(token, purpose, page_id)
    except links.LinkRefused as refusal:
        return None, None, refused(request, refusal.reason, StartupPage.objects.live().filter(pk=page_id).first())
    startup = application.page
    if not startup.live:  # unpublished since: nothing public to update or confirm
        return None, None, refused(request, "invalid")
    return application, startup, None


def too_many(request, *scopes):
    return any(over_limit(request, scope, limit, window, identity) for scope, limit, window, identity in scopes)


def with_contact(page):
    """The application behind a startup, asked from any of its translations (it is on the original)."""
    return (
        StartupApplication.objects.filter(page__translation_key=page.translation_key, erased_at__isnull=True)
        .exclude(email="")
        .order_by("pk")
        .first()
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_update(request, page_id):
    """ "Mettre à jour cette fiche": the link goes to the address on file."""
    startup = public_startup(page_id)
    context = {
        "startup": startup,
        "sent": False,
        "page_title": _("Mettre à jour cette fiche"),
        "breadcrumb_trail": trail_to(startup, request),
    }
    status = 200
    if request.method == "POST":
        if too_many(
            request,
            ("member-link", RATE_LIMIT, RATE_WINDOW, None),
            ("member-link-startup", LINKS_PER_STARTUP, LINKS_WINDOW, f"page-{startup.pk}"),
        ):
            status, context["refused"] = 429, True
        else:
            application = with_contact(startup)
            if application is not None:
                mails.send_link.enqueue(application.pk, mails.UPDATE_LINK)
            context["sent"] = True
    return render(request, "request_update.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def update(request, page_id, token):
    application, startup, refusal = opened(request, token, links.UPDATE, page_id)
    if refusal:
        return refusal
    form = updates.StartupUpdateForm(
        request.POST if request.method == "POST" else None,
        initial=updates.initial_for(startup),
        locale=startup.locale,
    )
    context = {
        "startup": startup,
        "form": form,
        "page_title": _("Mettre à jour la fiche de %(name)s") % {"name": startup.title},
        "breadcrumb_trail": trail_to(startup, request),
        "days": links.LINK_DAYS,
    }
    status = 200
    if request.method == "POST":
        if too_many(request, ("member-update", RATE_LIMIT, RATE_WINDOW, None)):
            status, context["refused"] = 429, True
        elif form.is_valid():
            if not links.use(application):
                return refused(request, "used", startup)
            changed, _revision = updates.submit(application, startup, form)
            if not changed:
                freshness.mark_verified(startup)
            context.update(done=True, changed=bool(changed))
        else:
            status = 400
    return render(request, "update.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, page_id, token):
    """The reminder's one click: the profile is still true."""
    application, startup, refusal = opened(request, token, links.CONFIRM, page_id)
    if refusal:
        return refusal
    context = {
        "startup": startup,
        "page_title": _("Confirmer la fiche de %(name)s") % {"name": startup.title},
        "breadcrumb_trail": trail_to(startup, request),
        "update_url": links.link_for(application, links.UPDATE),
    }
    if request.method == "POST":
        if not links.use(application):
            return refused(request, "used", startup)
        freshness.mark_verified(startup)
        context["done"] = True
    return render(request, "confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_erasure(request):
    """Asking for the erasure link: by the address the application was made with."""
    form = erasure.RequestForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "sent": False, "page_title": _("Effacer mes données personnelles")}
    status = 200
    if request.method == "POST":
        if too_many(request, ("member-erasure", RATE_LIMIT, RATE_WINDOW, None)):
            status, context["refused"] = 429, True
        elif form.is_valid():
            email = form.cleaned_data["email"]
            for application in StartupApplication.objects.filter(email__iexact=email, erased_at__isnull=True):
                mails.send_link.enqueue(application.pk, mails.ERASE_LINK)
            # The same answer whether the address is known or not: nothing is revealed.
            context["sent"] = True
        else:
            status = 400
    return render(request, "request_erasure.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request, token):
    try:
        application = links.read(token, links.ERASE)
    except links.LinkRefused as refusal:
        return refused(request, refusal.reason)
    context = {"application": application, "page_title": _("Effacer mes données personnelles")}
    if request.method == "POST":
        if not links.use(application):
            return refused(request, "used")
        erasure.erase(application)
        context["done"] = True
    return render(request, "erase.html", context)
