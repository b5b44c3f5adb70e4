import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse


def site(request):
    """The site's name and the links every page's header and footer carry."""
    return {"SITE_NAME": settings.SITE_NAME, "site_links": _site_links(get_script_prefix())}


@functools.lru_cache(maxsize=16)
def _site_links(script_prefix):
    # The same for every request under one prefix (the server's SCRIPT_NAME; bounded all
    # the same): resolved once per process instead of six reverse() calls on every page.
    return {
        "front": reverse("articles:front"),
        "feed": reverse("articles:feed"),
        "atom": reverse("articles:atom"),
        "archive": reverse("articles:archive"),
        "search": reverse("articles:search"),
    }
