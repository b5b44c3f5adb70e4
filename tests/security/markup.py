"""What counts as unsafe markup in a rendered comment, checked the way a parser sees it."""

import re
from html.parser import HTMLParser

# Written out here again on purpose, not imported from comments.rendering: widening the
# product's allowlist must fail these tests until someone has decided the new markup is safe.
ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike",
     "strong", "p", "br"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "q": ["cite"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

URL_ATTRIBUTES = frozenset({"href", "cite", "src", "action", "formaction", "xlink:href", "data"})

# Browsers drop these before reading a URL's scheme, so "java\tscript:" is "javascript:",
# and strip C0 controls and spaces around it, so "\x01javascript:" is too.
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url):
    """The scheme a browser would read from `url` (lower case), or "" for a relative URL."""
    url = _IGNORED_IN_URLS.sub("", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"</{tag}> is not allowed")

    def handle_comment(self, data):
        self.problems.append(f"an HTML comment survived: {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"a declaration survived: {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"a processing instruction survived: {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"a CDATA or unknown declaration survived: {data!r}")

    def _check(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"<{tag} {name}> is not allowed")
            elif name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme and scheme not in ALLOWED_PROTOCOLS:
                    self.problems.append(f"<{tag} {name}={value!r}> has scheme {scheme!r}")


def _parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def unsafe_markup(html):
    """Every tag, attribute or URL scheme in `html` outside the comment allowlist."""
    return _parse(html).problems


def links(html):
    """The attributes of every <a> in `html`, as a parser reads them."""
    return _parse(html).links
