"""The brand, its partner organisations and its member startups."""

from brand.models.application_page import StartupApplicationPage
from brand.models.brand_pages import BrandFigureBlock, BrandPage, BrandPartner, ContentPage
from brand.models.organisations import ArticleMention, ArticleOrganisationLink, Organisation
from brand.models.startups import (
    City,
    DeclineReason,
    FounderMail,
    Sector,
    StartupApplication,
    StartupIndexPage,
    StartupMention,
    StartupPage,
    StartupPageTag,
)

__all__ = [
    "ArticleMention",
    "ArticleOrganisationLink",
    "BrandFigureBlock",
    "BrandPage",
    "BrandPartner",
    "City",
    "ContentPage",
    "DeclineReason",
    "FounderMail",
    "Organisation",
    "Sector",
    "StartupApplication",
    "StartupApplicationPage",
    "StartupIndexPage",
    "StartupMention",
    "StartupPage",
    "StartupPageTag",
]
