"""The visitor's address, for rate limits and the admin's login lockout.

Behind a proxy every request comes from the proxy's address, and the
visitor's is in X-Forwarded-For, which anyone can also forge. The header is
read only when the connection comes from a trusted proxy (TRUSTED_PROXIES:
addresses or networks), and then from the right: each trusted proxy appends
the address it received the request from, so the first address from the
right that is not a trusted proxy is the client. Whatever a client wrote
into the header itself stays to the left of that and is never used.

Why not django-ipware: its current engine (python-ipware) expects the
proxies themselves to be listed in the header; with the usual layout
(nginx's $proxy_add_x_forwarded_for, Varnish, most CDNs: the client in the
header, the proxy as the connection's address) it returns no address at
all, which would put every visitor back behind one shared counter.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def parse(address):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")[:64]
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not is_trusted(parse(remote), networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse(hop)
        if address is None:
            # Not an address: a proxy we trust would not have written it; stop at the last good one.
            break
        if not is_trusted(address, networks):
            return str(address)
        remote = str(address)
    return remote
