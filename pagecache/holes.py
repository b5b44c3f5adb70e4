"""The per-visitor values in a cached page: holes punched out when it is stored and filled
for each visitor it is served to.

A page with a form carries the visitor's CSRF token and values that must be fresh for each
view (a form's signed "shown at" timestamp, registered with `refresh_hidden_field`). Such a
page is stored split at those values, and joining the parts with this visitor's values
serves it without searching a page of a hundred kilobytes on every hit.
"""

import html
import re

from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from .fragments import shared

# What {% csrf_token %} renders (django.template.defaulttags.CsrfTokenNode).
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')

# Hidden form fields whose value must be fresh for each page view, not the value the page
# had when it was stored: field name -> function(stored value) -> fresh value.
_REFRESHED_FIELDS = {}


def refresh_hidden_field(name, renew):
    """Have `renew(stored value)` give hidden field `name` a fresh value in each page view.

    For values that must say when the page was shown, such as a form's signed timestamp.
    The stored value is no secret (it was in the page for everyone to see).
    """
    _REFRESHED_FIELDS[name] = renew


def split_at_holes(body):
    """The page (bytes) as literal runs with the per-visitor values between them: a list
    alternating bytes and holes; a hole is None for the CSRF token, or (field name, stored
    value) for a refreshed field."""
    parts, start = [], 0
    for match in _CSRF_INPUT.finditer(body):
        parts += [body[start : match.end(1)], None]
        start = match.start(2)
    parts.append(body[start:])
    if not _REFRESHED_FIELDS:
        return parts
    field = re.compile(
        rb'(<input type="hidden" name="('
        + b"|".join(re.escape(name.encode()) for name in _REFRESHED_FIELDS)
        + rb')" value=")([^"]*)(")'
    )
    split = []
    for part in parts:
        if part is None:
            split.append(None)
            continue
        start = 0
        for match in field.finditer(part):
            value = html.unescape(match[3].decode())
            split += [part[start : match.end(1)], (match[2].decode(), value)]
            start = match.start(4)
        split.append(part[start:])
    return split


def has_csrf_hole(parts):
    return None in parts


def fill_holes(request, parts):
    """The page split_at_holes() split, for this view: this visitor's CSRF token (their
    csrftoken cookie is set as for any form) and freshly renewed field values."""
    token = get_token(request).encode() if has_csrf_hole(parts) else None
    pieces = []
    for part in parts:
        if part is None:
            pieces.append(token)
        elif isinstance(part, tuple):
            name, stored = part
            pieces.append(html.escape(_REFRESHED_FIELDS[name](stored)).encode())
        else:
            pieces.append(part)
    return b"".join(pieces)


def shared_with_holes(request, key, render):
    """A shared fragment (see fragments.shared) whose holes are filled for this request.

    `render()` returns the fragment's HTML as a string, escaped as templates escape it.
    """
    parts = shared(key, lambda: split_at_holes(render().encode()))
    # Our own rendering, escaped when it was made; only the holes' values are new.
    return mark_safe(fill_holes(request, parts).decode())  # noqa: S308
