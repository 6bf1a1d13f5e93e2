"""Named places where an app adds to pages it does not own.

The doors between packages open one way (docs/architecture.md): events builds
on brand and news, so news and brand pages may not import events. Where an
events section must still show on them (the calendar link beside the news, the
events an organisation takes part in), the news or brand page asks these
Wagtail hooks for extra context, and events registers the functions that
answer, in events/wagtail_hooks.py. A page with no app answering simply shows
nothing there.

Each hook receives the page being shown, the request and the keyword arguments
documented beside its name, and returns a dict merged into the template
context. Answers should stay lazy (SimpleLazyObject) when they cost queries:
the template may not show them.
"""

from wagtail import hooks

# fn(page, request) -> dict, for a news index page (NewsIndexPage).
NEWS_INDEX_CONTEXT = "portal_news_index_context"
# fn(article) -> (Q, score expression): what else makes another article related to this one
# (brand: the organisations both name); the score counts what they share.
ARTICLE_RELATED = "portal_article_related"
# fn(page, request, organisation, key) -> dict, for an organisation's page
# served by the brand page; `key` identifies the page's cached lists.
ORGANISATION_CONTEXT = "portal_organisation_context"


def extra_context(hook_name, page, request, **kwargs):
    """Every registered answer to `hook_name`, merged in registration order."""
    context = {}
    for answer in hooks.get_hooks(hook_name):
        context.update(answer(page, request, **kwargs))
    return context
