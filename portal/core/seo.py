"""Structured data (schema.org JSON-LD) and sharing metadata, one function per page type.

The page models call these from structured_data(); the seo_meta template tag
renders them, escaped so that no value can close the <script> element.
"""

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

OG_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_US", "zgh": "zgh_MA"}
PUBLISHER = {"@type": "Organization", "name": "MoroccoTech"}


def json_ld(data):
    """JSON for a <script type="application/ld+json"> element: '<', '>' and '&' escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 (escaped above)


def drop_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def news_article(article, request):
    tags = [tag.name for tag in article.tags.all()]
    return drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title[:110],
            "description": article.standfirst,
            "datePublished": article.display_date.isoformat() if article.display_date else None,
            "dateModified": article.last_published_at.isoformat() if article.last_published_at else None,
            "author": {"@type": "Person", "name": article.author} if article.author else None,
            "publisher": PUBLISHER,
            "sourceOrganization": {"@type": "NewsMediaOrganization", "name": article.source_name}
            if article.source_name
            else None,
            "isBasedOn": article.original_url or None,
            "inLanguage": article.locale.language_code,
            "url": article.get_full_url(request),
            "mainEntityOfPage": article.get_full_url(request),
            "keywords": ", ".join(tags) or None,
        }
    )


def event(event_page, request, organisers):
    attendance = {
        "in_person": "https://schema.org/OfflineEventAttendanceMode",
        "online": "https://schema.org/OnlineEventAttendanceMode",
        "hybrid": "https://schema.org/MixedEventAttendanceMode",
    }[event_page.event_format]
    locations = []
    if event_page.event_format != "online" and (event_page.venue or event_page.city):
        locations.append(
            drop_empty(
                {
                    "@type": "Place",
                    "name": event_page.venue or event_page.city,
                    "address": drop_empty(
                        {
                            "@type": "PostalAddress",
                            "addressLocality": event_page.city,
                            "addressCountry": event_page.country,
                        }
                    ),
                }
            )
        )
    if event_page.event_format != "in_person":
        locations.append(drop_empty({"@type": "VirtualLocation", "url": event_page.online_url or None}))
    return drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event_page.title,
            "description": event_page.summary,
            # Full date-times with the Casablanca offset, all-day events included
            # (from their first day's midnight to their last day's end).
            "startDate": event_page.local_start.isoformat(),
            "endDate": event_page.local_end.isoformat(),
            "eventAttendanceMode": attendance,
            "eventStatus": "https://schema.org/EventScheduled",
            "location": locations[0] if len(locations) == 1 else locations,
            "organizer": [organisation_data(o, request=None, context=False) for o in organisers],
            "url": event_page.get_full_url(request),
            "inLanguage": event_page.locale.language_code,
        }
    )


def organisation_data(organisation, request, context=True, url=None):
    data = drop_empty(
        {
            "@type": "Organization",
            "name": organisation.name,
            "alternateName": organisation.acronym,
            "url": organisation.website or url,
            "description": organisation.description,
            "address": drop_empty(
                {
                    "@type": "PostalAddress",
                    "addressLocality": organisation.city,
                    "addressCountry": organisation.country,
                }
            ),
        }
    )
    if context:
        data = {"@context": "https://schema.org", **data}
    return data


def startup(startup_page, request, sectors):
    same_as = [u for u in (startup_page.linkedin_url, startup_page.x_url, startup_page.facebook_url) if u]
    return drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": startup_page.title,
            "description": startup_page.pitch,
            "url": startup_page.website or startup_page.get_full_url(request),
            "foundingDate": str(startup_page.founded_year) if startup_page.founded_year else None,
            "address": drop_empty(
                {
                    "@type": "PostalAddress",
                    "addressLocality": startup_page.city.name if startup_page.city else None,
                    "addressCountry": "MA",
                }
            ),
            "knowsAbout": [s.name for s in sectors],
            "sameAs": same_as,
        }
    )


def website(home, request, search_url):
    base = request.build_absolute_uri(search_url)
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "MoroccoTech",
        "url": home.get_full_url(request),
        "inLanguage": home.locale.language_code,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{base}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def plain(text, length=300):
    text = " ".join(strip_tags(str(text or "")).split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"
