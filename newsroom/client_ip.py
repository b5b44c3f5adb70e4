"""The client's address, as the comment flood control and the admin's login lock-out both
count it (COMMENTS_TRUSTED_PROXIES names the proxies in front of the site)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The commenter's IP address: REMOTE_ADDR, unless it is a proxy we were told to trust.

    Behind trusted proxies (addresses or networks in COMMENTS_TRUSTED_PROXIES),
    X-Forwarded-For is read from the right, skipping those proxies: everything left of the
    first untrusted address could have been written by the client itself.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    proxies = _trusted_proxies()
    if remote is None or not _is_trusted(remote, proxies):
        return None if remote is None else str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _ip(hop)
        if address is None:
            break
        if not _is_trusted(address, proxies):
            return str(address)
    return str(remote)


def _ip(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted_proxies():
    return [
        ipaddress.ip_network(entry, strict=False) for entry in settings.COMMENTS_TRUSTED_PROXIES
    ]


def _is_trusted(address, proxies):
    return any(address in network for network in proxies)


def public_port(request):
    """The port the client reached the site on: behind a trusted proxy (nginx sets
    X-Forwarded-Port to the port it listens on) that proxy's, else the server's own."""
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_PORT", "")
    if remote is not None and forwarded.isdigit() and _is_trusted(remote, _trusted_proxies()):
        return forwarded
    return str(request.get_port())
