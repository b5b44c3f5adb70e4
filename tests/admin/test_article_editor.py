"""The article editor: django-prose-editor for the body, its assets ours, under our CSP;
headline fields sized for headlines; the one allowlist still cleaning what is stored."""

import re

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import create_sanitizer

from articles.editor import BODY_EXTENSIONS, EDITOR_ONLY_ATTRIBUTES, body_extensions
from articles.models import Article
from articles.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_article_html
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")

# What the editor's toolbar makes, as its getHTML() writes it (see the browser test) ...
EDITOR_HTML = (
    "<h2>Heading</h2><h3>Smaller</h3>"
    "<p>Text with <strong>bold</strong>, <em>italic</em>, <s>struck</s>, H<sub>2</sub>O, "
    'x<sup>2</sup> and <a href="https://example.org/report" title="">a link</a>.'
    "<br>Next line.</p>"
    "<ul><li><p>One</p></li><li><p>Two</p></li></ul>"
    '<ol start="3" type="a" data-type="lower-alpha"><li><p>Three</p></li></ol>'
    "<blockquote><p>A quote.</p></blockquote><hr>"
    '<figure class="figure"><img src="https://example.org/harbour.jpg" alt="The harbour wall">'
    '<figcaption class="figure-caption">The wall after the storm.</figcaption></figure>'
)
# ... and as it is stored: the same, less the attributes only the editor uses.
STORED_HTML = (
    EDITOR_HTML.replace(' data-type="lower-alpha"', "")
    .replace(' class="figure"', "")
    .replace(' class="figure-caption"', "")
)

HOSTILE_PASTE = (
    "<p>Before</p><script>alert(1)</script>"
    '<p onclick="alert(2)" style="position:fixed">Styled</p>'
    '<img src="x" onerror="alert(3)">'
    '<a href="javascript:alert(4)">bad link</a>'
    '<iframe src="https://evil.example/"></iframe>'
    "<style>body{display:none}</style>"
    '<svg><script>alert(5)</script></svg><form action="https://evil.example/"><input></form>'
    "<p>After</p>"
)


def article_form_data(**overrides):
    data = {
        "title": "Tram line extended to the harbour",
        "slug": "tram-line-extended",
        "standfirst": "",
        "body": "<p>Work starts in May.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "category": "",
        "comments_open": "on",
        "original_outlet": "",
        "original_url": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_body_is_written_in_the_rich_text_editor(editor_client):
    html = editor_client.get(ADD).text

    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", html).group(0)
    assert "data-django-prose-editor-configurable" in textarea
    # Headings, lists, links, quotes and figures are on its toolbar.
    for extension in ("Heading", "BulletList", "OrderedList", "Link", "Blockquote", "Figure"):
        assert f"&quot;{extension}&quot;" in textarea


def test_editor_assets_are_served_by_us(editor_client):
    html = editor_client.get(ADD).text

    for asset in (
        "/static/django_prose_editor/editor.js",
        "/static/django_prose_editor/configurable.js",
        "/static/django_prose_editor/editor.css",
        "/static/articles/editor-extensions.js",
    ):
        assert asset in html
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [a for a in addresses if a.startswith(("http:", "https:", "//"))]


def test_editor_import_map_carries_the_nonce_the_policy_names(editor_client):
    response = editor_client.get(ADD)

    match = re.search(r'<script type="importmap" nonce="([^"]+)">', response.text)
    assert match, "the import map should carry a nonce"
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", f"'nonce-{match.group(1)}'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_reader_pages_keep_the_policy_without_nonce_or_unsafe_inline(client):
    article = ArticleFactory()

    for url in (reverse("articles:front"), article.get_absolute_url()):
        policy = client.get(url)["Content-Security-Policy"]
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert "unsafe-inline" not in policy


def test_title_and_standfirst_are_sized_for_headlines(editor_client):
    html = editor_client.get(ADD).text

    title = re.search(r"<input[^>]*name=\"title\"[^>]*>", html).group(0)
    standfirst = re.search(r"<textarea[^>]*name=\"standfirst\"[^>]*>", html).group(0)
    assert 'class="headline-input"' in title
    assert 'class="standfirst-input"' in standfirst
    assert 'rows="3"' in standfirst


def test_saving_removes_hostile_html_pasted_into_the_body(editor_client):
    response = editor_client.post(ADD, article_form_data(body=HOSTILE_PASTE))

    assert response.status_code == 302
    body = Article.objects.get(slug="tram-line-extended").body
    assert "Before" in body and "After" in body and "Styled" in body
    for hostile in ("<script", "<style", "style=", "onclick", "onerror", "javascript:"):
        assert hostile not in body.lower()
    for hostile in ("<iframe", "<svg", "<form", "<input", "alert("):
        assert hostile not in body.lower()


def test_what_the_editor_makes_is_stored_as_it_made_it(editor_client):
    response = editor_client.post(ADD, article_form_data(body=EDITOR_HTML))

    assert response.status_code == 302
    assert Article.objects.get(slug="tram-line-extended").body == STORED_HTML


def test_the_editor_markup_survives_both_cleanings():
    editor_cleaned = create_sanitizer(body_extensions())(EDITOR_HTML)

    assert sanitize_article_html(editor_cleaned) == STORED_HTML


def test_stored_html_loads_back_into_the_editor_unchanged_by_its_cleaning():
    assert create_sanitizer(body_extensions())(STORED_HTML) == STORED_HTML


def test_the_editors_allowlist_is_within_the_stored_html_allowlist():
    """Whatever the editor's own cleaning keeps, articles/sanitizer.py keeps too, but for
    the few attributes the editor uses for its own display (EDITOR_ONLY_ATTRIBUTES)."""
    editor = allowlist_from_extensions(BODY_EXTENSIONS)

    assert set(editor["tags"]) <= ALLOWED_TAGS
    editor_attributes = {
        (tag, name) for tag, names in editor["attributes"].items() for name in names
    }
    stored = {(tag, name) for tag, names in ALLOWED_ATTRIBUTES.items() for name in names}
    assert editor_attributes - stored <= EDITOR_ONLY_ATTRIBUTES
    assert editor.get("url_schemes") == {"http", "https", "mailto"}


def test_links_made_in_the_editor_open_in_place():
    editor = allowlist_from_extensions(BODY_EXTENSIONS)

    assert "target" not in editor["attributes"]["a"]
