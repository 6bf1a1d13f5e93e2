"""The one place that reads the process environment.

Every setting that can change between machines goes through these helpers, so
that a value is parsed the same way everywhere: a flag written "False" or "0"
is false (a raw string would be truthy), an integer that is not one stops the
process with the variable's name instead of failing later, deep in a request.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name, default=""):
    return os.environ.get(name, default)


def require_str(name):
    """A value production cannot run without (secrets, host names)."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def get_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no, on/off).")


def get_int(name, default):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def get_base_url(name, default=""):
    """An absolute http(s) address with no path, query or fragment, as "scheme://host[:port]"."""
    raw = os.environ.get(name, "").strip() or default
    if not raw:
        return ""
    parsed = urlsplit(raw)
    try:
        parsed.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} has a port that is not a number.") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an http(s) address such as https://moroccotech.ma.")
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment or parsed.username:
        raise ImproperlyConfigured(f"{name}={raw!r} must be the site's root address only, without a path.")
    return f"{parsed.scheme}://{parsed.netloc.lower()}"


def get_copy_destination(name):
    """Where to copy files off the machine: "s3://bucket[/prefix]" or an absolute folder; "" for nowhere."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    if raw.startswith("s3://"):
        if not raw[len("s3://") :].split("/", 1)[0]:
            raise ImproperlyConfigured(f"{name}={raw!r} names no bucket (s3://bucket/prefix).")
        return raw
    if not raw.startswith("/"):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is neither an s3://bucket/prefix address nor an absolute folder."
        )
    return raw


def get_list(name, default=()):
    """Comma-separated values, blanks dropped: "a.ma, b.ma," -> ["a.ma", "b.ma"]."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_networks(name, default=()):
    """Comma-separated IP addresses or networks ("10.0.0.0/8"), each checked."""
    values = get_list(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {value!r} is not an IP address or network.") from None
    return values
