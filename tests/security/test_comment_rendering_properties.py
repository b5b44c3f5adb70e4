"""Whatever a commenter types, the HTML readers get stays inside the comment allowlist."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.rendering import render_comment_body

from .markup import links, unsafe_markup, url_scheme

# Pieces of markup that attacks are made of, so that generated text is hostile far more
# often than uniformly random text would be.
FRAGMENTS = [
    "<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "<!", "=", '"', "'", "`",
    " ", "\t", "\n", "\r\n", "\x00", "&", "&#", "&#x", ";", "&lt;", "&gt;", "&quot;", "&amp;",
    "a", "href", "src", "script", "img", "svg", "math", "style", "iframe", "form", "p", "br",
    "abbr", "q", "cite", "title", "rel", "onerror", "onclick", "onload", "javascript:",
    "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "data:text/html,", "vbscript:",
    "http://example.com/", "https://", "mailto:", "www.example.com", "x@example.com",
    "window.__xss=1", "alert(1)", "url(", "expression(", "\u202e", "\ufeff", "\u2028",
]  # fmt: skip

TAG_NAMES = [
    "a", "abbr", "q", "p", "b", "script", "img", "svg", "math", "style", "iframe", "form",
    "object", "embed", "base", "meta", "link", "noscript", "template", "textarea", "title",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "href", "src", "cite", "title", "rel", "style", "onerror", "onclick", "onmouseover",
    "xlink:href", "action", "formaction", "srcdoc", "http-equiv", "content",
]  # fmt: skip
ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(
        ["javascript:window.__xss=1", " JaVa\tScRiPt:x", "&#106;avascript:x", "data:text/html,x",
         "vbscript:x", "https://example.com/", "mailto:x@example.com", "window.__xss=1", ""]
    ),
    st.text(max_size=12),
)  # fmt: skip
QUOTES = st.sampled_from(['"', "'", "`", ""])

attribute = st.builds(
    lambda name, quote, value: f" {name}={quote}{value}{quote}",
    st.sampled_from(ATTRIBUTE_NAMES),
    QUOTES,
    ATTRIBUTE_VALUES,
)
start_tag = st.builds(
    lambda name, attributes, close: f"<{name}{''.join(attributes)}{close}",
    st.sampled_from(TAG_NAMES),
    st.lists(attribute, max_size=3),
    st.sampled_from([">", "/>", "", " >"]),
)
end_tag = st.sampled_from(TAG_NAMES).map(lambda name: f"</{name}>")

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8), start_tag, end_tag), max_size=30
).map("".join)

# Rendering runs bleach over every example; the default deadline trips on a loaded machine.
property_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@property_settings
@given(st.text())
def test_any_text_renders_to_allowed_markup_only(text):
    assert unsafe_markup(render_comment_body(text)) == []


@property_settings
@given(hostile_text)
def test_markup_shaped_text_renders_to_allowed_markup_only(text):
    assert unsafe_markup(render_comment_body(text)) == []


@property_settings
@given(hostile_text)
def test_every_rendered_link_is_nofollow_ugc(text):
    for link in links(render_comment_body(text)):
        if "href" in link:
            assert link.get("rel") == "nofollow ugc"


@given(st.sampled_from(["javascript", "JAVASCRIPT", "vbscript", "data", "jav&#x09;ascript"]))
def test_dangerous_link_is_never_rendered_with_its_scheme(scheme):
    html = render_comment_body(f'<a href="{scheme}:window.__xss=1">click</a>')
    assert unsafe_markup(html) == []
    assert "click" in html


def test_bare_url_becomes_a_nofollow_ugc_link():
    assert links(render_comment_body("see https://example.com/report")) == [
        {"href": "https://example.com/report", "rel": "nofollow ugc"}
    ]


def test_script_tag_is_shown_as_text():
    html = render_comment_body("<script>window.__xss=1</script>")

    assert "&lt;script&gt;" in html
    assert unsafe_markup(html) == []


def test_url_scheme_is_read_as_a_browser_reads_it():
    # The checker itself must not be fooled by the spellings the corpus uses.
    assert url_scheme(" java\tscr\nipt:alert(1)") == "javascript"
    assert url_scheme("\x01JavaScript:x") == "javascript"
    assert url_scheme("/relative/path") == ""
    assert url_scheme("https://example.com") == "https"


def test_checker_reports_an_event_handler_and_a_bad_scheme():
    problems = unsafe_markup('<a href="javascript:x" onclick="y">z</a><img src=x>')

    assert len(problems) == 3
