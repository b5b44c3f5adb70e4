import ipaddress

from django.conf import settings
from django.core.checks import Error, register


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
