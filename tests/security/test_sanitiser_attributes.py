"""No allowed tag carries an event handler or a style attribute, in either allowlist.

Every tag each allowlist keeps (articles' editorial HTML, commenters' inline HTML) is sent
with every `on*` event-handler attribute and `style`; what comes out must keep the tag
and drop all of them. A property test finds an attribute added to the allowlist only by
chance; this one finds it every time.
"""

from html.parser import HTMLParser

import pytest

from articles import sanitizer
from comments import rendering

# The event-handler content attributes of HTML (GlobalEventHandlers, WindowEventHandlers,
# DocumentAndElementEventHandlers) and the older or vendor ones browsers still run.
EVENT_HANDLERS = [
    "onabort",
    "onafterprint",
    "onanimationcancel",
    "onanimationend",
    "onanimationiteration",
    "onanimationstart",
    "onauxclick",
    "onbeforeinput",
    "onbeforematch",
    "onbeforeprint",
    "onbeforetoggle",
    "onbeforeunload",
    "onblur",
    "oncancel",
    "oncanplay",
    "oncanplaythrough",
    "onchange",
    "onclick",
    "onclose",
    "oncontentvisibilityautostatechange",
    "oncontextlost",
    "oncontextmenu",
    "oncontextrestored",
    "oncopy",
    "oncuechange",
    "oncut",
    "ondblclick",
    "ondrag",
    "ondragend",
    "ondragenter",
    "ondragexit",
    "ondragleave",
    "ondragover",
    "ondragstart",
    "ondrop",
    "ondurationchange",
    "onemptied",
    "onended",
    "onerror",
    "onfocus",
    "onfocusin",
    "onfocusout",
    "onformdata",
    "onfullscreenchange",
    "onfullscreenerror",
    "ongotpointercapture",
    "onhashchange",
    "oninput",
    "oninvalid",
    "onkeydown",
    "onkeypress",
    "onkeyup",
    "onlanguagechange",
    "onload",
    "onloadeddata",
    "onloadedmetadata",
    "onloadend",
    "onloadstart",
    "onlostpointercapture",
    "onmessage",
    "onmessageerror",
    "onmousedown",
    "onmouseenter",
    "onmouseleave",
    "onmousemove",
    "onmouseout",
    "onmouseover",
    "onmouseup",
    "onmousewheel",
    "onoffline",
    "ononline",
    "onpagehide",
    "onpagereveal",
    "onpageshow",
    "onpageswap",
    "onpaste",
    "onpause",
    "onplay",
    "onplaying",
    "onpointercancel",
    "onpointerdown",
    "onpointerenter",
    "onpointerleave",
    "onpointermove",
    "onpointerout",
    "onpointerover",
    "onpointerrawupdate",
    "onpointerup",
    "onpopstate",
    "onprogress",
    "onratechange",
    "onrejectionhandled",
    "onreset",
    "onresize",
    "onscroll",
    "onscrollend",
    "onsearch",
    "onsecuritypolicyviolation",
    "onseeked",
    "onseeking",
    "onselect",
    "onselectionchange",
    "onselectstart",
    "onslotchange",
    "onstalled",
    "onstorage",
    "onsubmit",
    "onsuspend",
    "ontimeupdate",
    "ontoggle",
    "ontouchcancel",
    "ontouchend",
    "ontouchmove",
    "ontouchstart",
    "ontransitioncancel",
    "ontransitionend",
    "ontransitionrun",
    "ontransitionstart",
    "onunhandledrejection",
    "onunload",
    "onvolumechange",
    "onwaiting",
    "onwebkitanimationend",
    "onwebkitanimationiteration",
    "onwebkitanimationstart",
    "onwebkittransitionend",
    "onwheel",
]
FORBIDDEN = [*EVENT_HANDLERS, "style"]
VOID = {"br", "hr", "img"}
# Table parts outside a table are dropped by the HTML parser before any attribute is seen.
CONTEXT = {
    "caption": ("<table>", "</table>"),
    "thead": ("<table>", "</table>"),
    "tbody": ("<table>", "</table>"),
    "tfoot": ("<table>", "</table>"),
    "tr": ("<table><tbody>", "</tbody></table>"),
    "th": ("<table><tbody><tr>", "</tr></tbody></table>"),
    "td": ("<table><tbody><tr>", "</tr></tbody></table>"),
}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _hostile(tag):
    attributes = " ".join(f'{name}="alert(1)"' for name in FORBIDDEN)
    element = f"<{tag} {attributes}>" if tag in VOID else f"<{tag} {attributes}>text</{tag}>"
    before, after = CONTEXT.get(tag, ("", ""))
    return before + element + after


def test_the_forbidden_list_names_the_handlers_found_in_the_wild():
    assert {"onmouseover", "onerror", "onload", "onfocus", "onpointerover"} <= set(FORBIDDEN)
    assert all(name.startswith("on") for name in EVENT_HANDLERS)


@pytest.mark.parametrize(
    "allowlist",
    [sanitizer.ALLOWED_ATTRIBUTES, rendering.ALLOWED_ATTRIBUTES],
    ids=["articles", "comments"],
)
def test_no_allowlist_holds_an_event_handler_or_style(allowlist):
    allowed = {(tag, name.lower()) for tag, names in allowlist.items() for name in names}

    assert not [(tag, name) for tag, name in allowed if name.startswith("on")]
    assert not [(tag, name) for tag, name in allowed if name == "style"]


@pytest.mark.parametrize("tag", sorted(sanitizer.ALLOWED_TAGS))
def test_an_article_tag_keeps_none_of_its_event_handlers_or_style(tag):
    cleaned = sanitizer.sanitize_article_html(_hostile(tag))

    kept = [attrs for name, attrs in _elements(cleaned) if name == tag]
    assert kept, f"<{tag}> should survive the editorial allowlist: {cleaned!r}"
    for attrs in kept:
        assert not set(attrs) & set(FORBIDDEN), f"<{tag}> kept {set(attrs) & set(FORBIDDEN)}"


@pytest.mark.parametrize("tag", sorted(rendering.ALLOWED_TAGS))
def test_a_comment_tag_keeps_none_of_its_event_handlers_or_style(tag):
    html = rendering.render_comment_body(_hostile(tag))

    kept = [attrs for name, attrs in _elements(html) if name == tag]
    assert kept, f"<{tag}> should survive the comment allowlist: {html!r}"
    for attrs in kept:
        assert not set(attrs) & set(FORBIDDEN), f"<{tag}> kept {set(attrs) & set(FORBIDDEN)}"
