"""Display helpers for comments: locally made avatars and safe author links."""

import zlib
from urllib.parse import urlsplit

from django import template

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
