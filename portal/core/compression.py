"""HTML, feeds and JSON leave the app compressed; pictures and archives, which are already, do not.

Django's GZipMiddleware pads each compressed answer with random bytes
(its mitigation of BREACH, which guesses secrets such as CSRF tokens from
compressed sizes). Static files are compressed ahead by WhiteNoise, which
answers before this runs.
"""

from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/ld+json",
    "application/javascript",
    "image/svg+xml",
)


class TextCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
