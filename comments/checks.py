import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def trusted_proxies_are_addresses(app_configs, **kwargs):
    """A mistyped proxy address would otherwise fail every comment post at run time."""
    errors = []
    for entry in settings.COMMENTS_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"COMMENTS_TRUSTED_PROXIES entry {entry!r} is not an IP address or network.",
                    id="comments.E001",
                )
            )
    return errors


@register()
def forms_outlive_cached_pages(app_configs, **kwargs):
    """A form's timestamp says when the page was rendered, and a cached page may be that
    old when a reader first sees it: a maximum age below the caches' lifetimes would refuse
    fresh readers' comments as stale."""
    cached_for = settings.PAGE_CACHE_SECONDS + settings.EDGE_CACHE_SECONDS
    if 2 * cached_for < settings.COMMENTS_FORM_MAX_AGE_SECONDS:
        return []
    return [
        Error(
            f"COMMENTS_FORM_MAX_AGE_SECONDS ({settings.COMMENTS_FORM_MAX_AGE_SECONDS}) must be "
            f"over twice PAGE_CACHE_SECONDS + EDGE_CACHE_SECONDS ({cached_for}): a form on a "
            "cached page may be that old when a reader opens it.",
            id="comments.E002",
        )
    ]


# Addresses of the machine itself (0.0.0.0 as written in a runserver command line).
LOOPBACK_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104


@register(Tags.security, deploy=True)
def site_url_is_the_public_address(app_configs, **kwargs):
    """Links in emails (moderation, replies) and data exports start with SITE_URL, never
    with a request's Host header (which a client chooses). Left at the laptop default,
    every link in every mail would lead to the recipient's own computer."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails would not reach the site.",
            hint="Set SITE_URL to the site's public address, such as https://news.example.com.",
            id="comments.W001",
        )
    ]
