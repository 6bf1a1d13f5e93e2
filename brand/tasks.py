"""The brand's background work (portal.core.tasks)."""

from brand import mentions
from portal.core.tasks import retried


@retried
def relink_all_articles():
    """Every live article's organisation links, after an organisation's names or status changed."""
    return mentions.refresh_all_articles()
