"""Post comments the way a browser does: through the form the article page actually shows.

The page's own form supplies every hidden field (CSRF token, signed timestamp, honeypot),
so the tests send what a reader's browser would send, not a hand-built imitation.
"""

from html.parser import HTMLParser

FORM_ID = "commentform"


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.action = None
        self.fields = {}
        self._inside = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form" and attrs.get("id") == self.form_id:
            self._inside = True
            self.action = attrs.get("action", "")
        elif not self._inside:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "checkbox" and "checked" not in attrs:
                return
            if kind in {"submit", "button", "reset", "image"}:
                return
            self.fields[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside = False


def read_comment_form(html):
    """The comment form's action and the fields a browser would send unchanged."""
    reader = _FormReader(FORM_ID)
    reader.feed(html)
    assert reader.action is not None, "the page has no comment form"
    return reader.action, reader.fields


def open_comment_form(client, page_url):
    """GET `page_url`; its comment form's action and fields."""
    page = client.get(page_url)
    assert page.status_code == 200, f"GET {page_url} answered {page.status_code}"
    return read_comment_form(page.content.decode())


def follow_refusal(client, response):
    """The page a refused post is shown on, as a browser gets it.

    A refused post answers 303 to the article at ?unposted=<token>#respond
    (comments/unposted.py); that page, with the refusal's status, is returned, with the 303
    as its `posted`. Any other response is returned as it is (`posted` is itself).
    """
    location = response.get("Location", "") if response.status_code == 303 else ""
    if "?unposted=" not in location:
        response.posted = response
        return response
    assert location.endswith("#respond"), location
    shown = client.get(location.partition("#")[0])
    shown.posted = response
    return shown


def send_comment_form(client, form, **values):
    """Send a form from open_comment_form() with `values` filled in; the response (for a
    refused comment, the page it is shown again on: follow_refusal).

    A value of None leaves the field out of the request, as a hand-made request might.
    """
    action, fields = form
    data = {name: value for name, value in {**fields, **values}.items() if value is not None}
    return follow_refusal(client, client.post(action, data))


def post_comment(client, page_url, **values):
    """Open `page_url`, fill in its comment form with `values` and send it; the response."""
    return send_comment_form(client, open_comment_form(client, page_url), **values)
