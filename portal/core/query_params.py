"""Reading visitors' query strings safely.

Anything can arrive in a query string: NUL bytes (PostgreSQL refuses them in
text comparisons and would answer with a 500), control characters, megabytes
of text, the same parameter twice. Listing filters read their values through
here, shared by every app.
"""

import unicodedata


def clean_param(request, name, max_length=100):
    """The parameter's last value, without control characters, at most max_length long."""
    value = request.GET.get(name, "")
    value = "".join(c for c in value if unicodedata.category(c) != "Cc")
    return value.strip()[:max_length]
