"""Requests the site cannot read are refused with a short 400 before anything reads them.

* A form sent in a character set Django refuses (anything but UTF-8 for a urlencoded
  form, say utf-16): Django raises BadRequest wherever `request.POST` is first read, and
  again in its own 400 handler (whose CSRF check reads the form too), so the visitor got
  the server's bare 500 and the log two long tracebacks for each such request.
* A NUL character in the path or the query string: PostgreSQL refuses it in any text
  lookup (the old-permalink redirect, admin filters and searches), and no address of
  ours holds one.

Each refusal is one "Bad Request" line in the log (django.request), like any other 4xx.
"""

from django.http import HttpResponseBadRequest


def _is_unreadable_form(request):
    """Whether Django would fail to read this request's form (request.POST).

    `request.encoding` is the declared charset, if Python knows it (Django ignores others).
    """
    if request.encoding is None or request.content_type != "application/x-www-form-urlencoded":
        return False
    # Django reads these as UTF-8 alone (RFC 1866) and refuses any other charset. (A
    # multipart form's fields are decoded with errors replaced: never a failure.)
    return request.encoding.lower() != "utf-8"


def _holds_nul(request):
    # In the query string a NUL can only come percent-encoded: no need to parse it.
    return "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "")


class UnreadableRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_unreadable_form(request):
            return _refuse("Forms must be sent as UTF-8.")
        if _holds_nul(request):
            return _refuse("The address holds a NUL character.")
        return self.get_response(request)


def _refuse(reason):
    return HttpResponseBadRequest(f"Bad request: {reason}\n", content_type="text/plain")
