"""Display helpers for comments: locally made avatars, safe author links, dates."""

import zlib
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language

register = template.Library()

# As many hues as static/css/site.css defines .avatar-hue-N classes for.
AVATAR_HUES = 12


@register.filter
def initials(name):
    """Up to two letters for an avatar: 'Ada Lovelace' → 'AL', 'ada' → 'A'."""
    words = [word for word in str(name).split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_hue(name):
    """A stable colour class number for a name (never from the email: it is private)."""
    return zlib.crc32(str(name).strip().lower().encode()) % AVATAR_HUES


@register.filter
def safe_author_url(url):
    """The author's website if it is an http(s) address, else '' (imported data included)."""
    if url and urlsplit(url).scheme.lower() in {"http", "https"}:
        return url
    return ""


@register.filter(expects_localtime=True, is_safe=False)
def comment_date(value, arg=None):
    """Django's |date, remembered: each comment's date is shown on every view of its page.

    Formatting a date (translated month names, am/pm) costs more than everything else a
    comment shows; a page of a hundred comments spent half its time on it.
    """
    if not isinstance(value, datetime):
        return date_filter(value, arg)
    return _formatted_date(value, str(value.tzinfo), arg, get_language())


@lru_cache(maxsize=8192)
def _formatted_date(value, zone, arg, language):
    # The zone and language belong to the key: aware datetimes for the same instant are
    # equal whatever their zone, and the same instant reads differently in each language.
    return date_filter(value, arg)
