"""System checks that need the database: `manage.py check --database default` (and migrate) run them.

Imported by PortalConfig.ready(), once the models are loaded.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from wagtail.models import Site

from portal.sitewide.setup import public_address


@register(Tags.database)
def site_address_is_the_public_one(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # `migrate` runs the checks before it creates the tables
        return []
    if site is None or (site.hostname, site.port) == public_address():
        return []
    return [
        Warning(
            f"The Wagtail site answers as {site.root_url}, not PUBLIC_BASE_URL={settings.PUBLIC_BASE_URL}: "
            "feeds, the sitemap, calendars, CSV and the API would link to the wrong address.",
            hint="Run `python manage.py setup_portal --skip-import`, which sets the site's address.",
            id="portal.W001",
        )
    ]


@register(Tags.security, deploy=True)
def backups_leave_the_machine(app_configs, **kwargs):
    """`manage.py check --deploy`: an archive kept only beside what it saves dies with the machine."""
    if settings.BACKUP_COPY_TO:
        return []
    return [
        Warning(
            "BACKUP_COPY_TO is not set: `manage.py backup` keeps its archives on this machine only.",
            hint="Set BACKUP_COPY_TO to s3://bucket/prefix or a folder mounted from elsewhere "
            "(docs/deployment.md, Backups).",
            id="portal.W002",
        )
    ]
