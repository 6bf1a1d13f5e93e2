from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from brand.membership import views as membership
from portal.sitewide import accounts, newsletter, views
from portal.sitewide.api import api_router
from portal.sitewide.moderation import ModeratedUpdateTranslationsView
from portal.sitewide.sitemaps import AllLanguagesSitemap

handler500 = views.server_error

urlpatterns = [
    # Before the admin's own URLs, which they take the place of (see each view).
    path("admin/password_reset/", accounts.RateLimitedPasswordResetView.as_view()),
    path("admin/localize/update/<int:translation_source_id>/", ModeratedUpdateTranslationsView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("partage/<int:page_id>/<str:digest>.png", views.social_card, name="social_card"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media, name="media"))

# Every language has its prefix, French included (/fr/); "/" is redirected to
# the visitor's language by LocaleMiddleware. Wagtail's catch-all page serving
# comes last.
urlpatterns += i18n_patterns(
    path("recherche/", views.search, name="search"),
    path("newsletter/", newsletter.subscribe, name="newsletter"),
    path("newsletter/confirmer/<str:token>/", newsletter.confirm, name="newsletter_confirm"),
    path("newsletter/desinscription/<str:token>/", newsletter.unsubscribe, name="newsletter_unsubscribe"),
    # A member startup's founder: update, confirm, erase (brand.membership).
    path("membres/fiche/<int:page_id>/", membership.request_update, name="member_request_update"),
    path("membres/fiche/<int:page_id>/<str:token>/", membership.update, name="member_update"),
    path("membres/confirmer/<int:page_id>/<str:token>/", membership.confirm, name="member_confirm"),
    path("membres/donnees/", membership.request_erasure, name="member_request_erasure"),
    path("membres/donnees/<str:token>/", membership.erase, name="member_erase"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
