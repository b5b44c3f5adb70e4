"""Absolute addresses on the site, for what has no request to take the host from (emails,
data exports, tasks run by the queue's consumer)."""

from django.conf import settings


def public_url(path):
    """`path` as an address on SITE_URL."""
    return f"{settings.SITE_URL}{path}"
