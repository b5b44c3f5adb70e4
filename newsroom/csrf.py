"""The page for a form sent without its CSRF cookie (CSRF_FAILURE_VIEW).

Django's own page is bare and speaks of DEBUG; a reader whose browser blocks or just
cleared cookies deserves the site's design, a plain explanation and a way on. A view whose
form knows better (the comment form gives the text typed back) sets a `csrf_failure`
attribute: `handler(request, reason, **url_kwargs)`, returning a response or None.
"""

from http import HTTPStatus

from django.shortcuts import render
from django.urls import Resolver404, resolve


def csrf_failure(request, reason=""):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    handler = getattr(match.func, "csrf_failure", None) if match else None
    if handler is not None:
        response = handler(request, reason, **match.kwargs)
        if response is not None:
            return response
    # The reason stays in the log (django.security.csrf), never on the page.
    return render(request, "csrf_failure.html", status=HTTPStatus.FORBIDDEN)
