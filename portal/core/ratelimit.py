"""A fixed-window counter per client address (public forms' anti-abuse, password resets).

Counted in the shared cache; when the cache is away (Redis down), in the
database, so that the limits still hold rather than switching off.
"""

import datetime

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.cache import CacheUnavailable
from portal.core.client_ip import client_ip


class RateLimitCounter(models.Model):
    """Attempts counted while the shared cache is unavailable (see over_limit)."""

    key = models.CharField(_("clé"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("tentatives"), default=0)
    expires_at = models.DateTimeField(_("fin de la fenêtre"), db_index=True)

    class Meta:
        verbose_name = _("compteur de limite de fréquence")
        verbose_name_plural = _("compteurs de limite de fréquence")

    def __str__(self):
        return f"{self.key}: {self.count}"


def count_in_cache(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except CacheUnavailable:
        raise
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def count_in_database(key, window):
    now = timezone.now()
    expires_at = now + datetime.timedelta(seconds=window)
    with transaction.atomic():
        updated = RateLimitCounter.objects.filter(key=key, expires_at__gt=now).update(count=F("count") + 1)
        if not updated:
            RateLimitCounter.objects.filter(expires_at__lte=now).delete()
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=key, count=1, expires_at=expires_at)
            except IntegrityError:  # another process counted the first one meanwhile
                RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateLimitCounter.objects.get(key=key).count


def over_limit(request, scope, limit, window, identity=None):
    """Count this attempt; True when the address (or `identity`) made more than `limit` within `window` seconds."""
    key = f"rate:{scope}:{identity if identity is not None else client_ip(request)}"[:200]
    try:
        count = count_in_cache(key, window)
    except CacheUnavailable:
        count = count_in_database(key, window)
    return count > limit
