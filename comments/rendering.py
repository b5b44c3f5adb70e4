"""The one function that turns a comment as written into the HTML readers see.

Called once, when a comment is saved (Comment.save stores the result in `body_html`);
pages and feeds show the stored HTML and never sanitise again.
"""

import re
import threading
from urllib.parse import urlsplit

import bleach
from bleach.linkifier import Linker
from django.utils.html import linebreaks

# The inline HTML WordPress allows commenters.
ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike",
     "strong"}
)  # fmt: skip
# What we add ourselves from line breaks; a commenter's own <p> or <br> is shown as text.
PARAGRAPH_TAGS = frozenset({"p", "br"})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "del": ["datetime"],
    "q": ["cite"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc"


def _cleaner(tags):
    return bleach.sanitizer.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        # Anything outside the allowlist is escaped and shown as text: readers see what
        # was written, and nothing of it runs.
        strip=False,
        strip_comments=True,
    )


def _safe_links(attrs, new=False):
    """Every link: an allowed scheme only, and rel="nofollow ugc" whatever was written."""
    href = attrs.get((None, "href"))
    if href is None:
        return attrs
    scheme = urlsplit(href.strip()).scheme.lower()
    if scheme not in ALLOWED_PROTOCOLS:
        # Returning None unwraps the link and keeps its text.
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


# As WordPress's make_clickable: any host after http(s)://, and bare www. addresses.
# (bleach's default would also link ftp:// and irc://, and only hosts on known TLDs.)
_BARE_URL = re.compile(
    r"""\(*\b
    (?:https?://(?:[\w-]+\.)*[\w-]+|www\.(?:[\w-]+\.)+[a-z]{2,63})
    (?::[0-9]+)?
    (?:[/?\#][^\s{}|\\^`<>"]*)?""",
    re.IGNORECASE | re.VERBOSE,
)


# bleach's cleaners and linkers keep parser state: one set per thread (runserver and
# threaded workers render comments concurrently).
_per_thread = threading.local()


def _tools():
    tools = getattr(_per_thread, "tools", None)
    if tools is None:
        tools = _per_thread.tools = (
            _cleaner(ALLOWED_TAGS),
            _cleaner(ALLOWED_TAGS | PARAGRAPH_TAGS),
            Linker(
                callbacks=[_safe_links],
                skip_tags={"code"},
                url_re=_BARE_URL,
                parse_email=False,
                # The linker's own default list lacks <strike>, which it would escape.
                recognized_tags=ALLOWED_TAGS | PARAGRAPH_TAGS,
            ),
        )
    return tools


# After cleaning, the only block-level tags left are blockquotes, in bleach's own spelling.
_BLOCKQUOTE_TAG = re.compile(r"(</?blockquote(?:\s[^>]*)?>)")


def _paragraphs(cleaned: str) -> str:
    """Paragraphs and line breaks from blank lines and newlines, as WordPress's autop.

    Quotes stay blocks of their own (a <p> cannot hold a <blockquote>), with paragraphs
    inside them too. linebreaks() must not escape: the cleaner already has.
    """
    parts = []
    for part in _BLOCKQUOTE_TAG.split(cleaned):
        if _BLOCKQUOTE_TAG.fullmatch(part):
            parts.append(part)
        elif part.strip():
            parts.append(linebreaks(part.strip(), autoescape=False))
    return "\n".join(parts)


# Text without markup, entities, control characters or noncharacters comes out of the
# cleaners exactly as it went in, so it can skip both cleaning passes (each a full HTML
# parse); only text that may hold a link still goes through the linkifier. Same output
# without the parsing, which matters when an import renders every comment of a site:
# tests/comments/test_rendering_plain_text.py holds both paths to it.
_MARKUP_OR_CONTROL = re.compile(
    "[<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff]"
    "|[\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)


def _may_hold_a_link(text: str) -> bool:
    # What _BARE_URL needs before it can match. Substring tests on the casefolded text:
    # a case-insensitive regex has no literal to search for, and is slower for it.
    folded = text.casefold()
    return "http" in folded or "www." in folded


def render_comment_body(text: str) -> str:
    """Paragraphs from line breaks, the WordPress inline allowlist, links as nofollow ugc.

    Anything outside the allowlist is escaped (shown as text, never run); bare URLs are
    linkified; every link carries rel="nofollow ugc" and an http(s) or mailto scheme.
    """
    stripped = text.strip() if text else ""
    if not stripped:
        return ""
    if not _MARKUP_OR_CONTROL.search(text):
        if "\n" in stripped or "\r" in stripped:
            paragraphs = linebreaks(stripped, autoescape=False)
        else:
            paragraphs = f"<p>{stripped}</p>"  # what linebreaks() makes of one line
        if not _may_hold_a_link(stripped):
            return paragraphs
        return _linkify_plain(paragraphs)
    return _clean_and_linkify(text)


# linebreaks() of plain text holds no tags but its own <p>, </p> and <br>, and its text no
# character that HTML escapes; bleach's linkifier would parse and re-serialise all of it
# to change nothing but the links below. The same tests hold this to bleach's output.
_PARAGRAPH_TAG = re.compile(r"(<[^>]*>)")
_HAS_SCHEME = re.compile(r"^[\w-]+:/{0,3}", re.IGNORECASE)


def _linkify_plain(paragraphs: str) -> str:
    parts = _PARAGRAPH_TAG.split(paragraphs)
    for index in range(0, len(parts), 2):  # text between the tags
        parts[index] = _BARE_URL.sub(_bare_url_link, parts[index])
    return "".join(parts)


def _bare_url_link(match) -> str:
    url, prefix, suffix = _strip_non_url_bits(match.group(0))
    href = url if _HAS_SCHEME.match(url) else f"http://{url}"
    return f'{prefix}<a href="{href}" rel="{LINK_REL}">{url}</a>{suffix}'


def _strip_non_url_bits(fragment: str) -> tuple[str, str, str]:
    """What bleach's linkifier leaves out of a matched URL: wrapping parentheses, and a
    closing parenthesis, comma or full stop at its end (the sentence's, not the URL's)."""
    prefix = suffix = ""
    while fragment:
        if fragment.startswith("("):
            prefix += "("
            fragment = fragment[1:]
            if fragment.endswith(")"):
                suffix = ")" + suffix
                fragment = fragment[:-1]
        elif fragment.endswith(")") and "(" not in fragment or fragment.endswith((",", ".")):
            suffix = fragment[-1] + suffix
            fragment = fragment[:-1]
        else:
            break
    return fragment, prefix, suffix


def _clean_and_linkify(text: str) -> str:
    # The second pass cleans the <p>/<br> that _paragraphs() added along with the rest,
    # so nothing reaches readers that has not been through the allowlist last.
    as_written, with_paragraphs, linker = _tools()
    paragraphs = _paragraphs(as_written.clean(text))
    return linker.linkify(with_paragraphs.clean(paragraphs))


def count_links(body_html: str) -> int:
    """How many links rendered comment HTML holds (written ones and linkified bare URLs)."""
    return body_html.count("<a ")
