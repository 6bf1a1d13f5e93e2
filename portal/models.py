"""The portal app's models, registered with Django here; each lives in its room.

- portal.news.models: the news section, its articles, the importer's records;
- portal.sitewide.models: the home pages and the figures page;
- beside their use: the second-reading workflow step (sitewide/editorial.py),
  the site settings and menus (sitewide/navigation.py), newsletter subscribers
  (sitewide/newsletter.py), rate-limit counters (core/ratelimit.py).

Import a model from its own module; this one only makes Django see them all.
"""

from portal.core.ratelimit import RateLimitCounter
from portal.news.models import (
    ArticleImportBatch,
    ArticleImportRun,
    ArticlePage,
    ArticlePageTag,
    ArticleUpload,
    DeletedImport,
    NewsIndexPage,
)
from portal.sitewide.editorial import SecondReaderTask
from portal.sitewide.models import FiguresPage, HomePage
from portal.sitewide.navigation import PortalSettings, SiteNavigation
from portal.sitewide.newsletter import Subscriber

__all__ = [
    "ArticleImportBatch",
    "ArticleImportRun",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleUpload",
    "DeletedImport",
    "FiguresPage",
    "HomePage",
    "NewsIndexPage",
    "PortalSettings",
    "RateLimitCounter",
    "SecondReaderTask",
    "SiteNavigation",
    "Subscriber",
]
