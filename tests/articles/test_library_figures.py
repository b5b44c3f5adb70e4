"""An image placed from the library in the article editor is stored as the library's
responsive figure (srcset, sizes, width, height, alt, lazy), with the editor's caption."""

import pytest

from articles.media import with_library_figures
from articles.sanitizer import sanitize_article_html
from tests.images import stored_image

pytestmark = pytest.mark.django_db


def editor_figure(src, alt="Boats in the harbour", caption="The harbour at dawn"):
    # As django-prose-editor writes a figure the picker filled in.
    figcaption = f'<figcaption class="figure-caption">{caption}</figcaption>' if caption else ""
    return (
        f'<figure class="figure"><img src="{src}" alt="{alt}" data-file="1">{figcaption}</figure>'
    )


def test_a_library_figure_becomes_the_library_markup_with_the_editors_caption():
    image = stored_image(caption="From the library", credit="Photo: Ana Reyes")

    body = with_library_figures("<p>Before</p>" + editor_figure(image.src) + "<p>After</p>")

    expected = image.figure_html(caption="The harbour at dawn")
    assert body == f"<p>Before</p>{expected}<p>After</p>"
    assert 'srcset="' in expected and 'sizes="' in expected and 'loading="lazy"' in expected
    assert f'width="{image.width}" height="{image.height}"' in expected
    assert f'alt="{image.alt_text}"' in expected
    assert "<small>Photo: Ana Reyes</small>" in expected


def test_any_file_of_the_image_is_recognised_original_or_rendition():
    image = stored_image()
    webp = image.sources["WEBP"][0][2]

    for src in (image.url, webp):
        assert with_library_figures(editor_figure(src)) == image.figure_html(
            caption="The harbour at dawn"
        )


def test_a_figure_without_caption_keeps_none():
    image = stored_image(caption="From the library")

    assert with_library_figures(editor_figure(image.src, caption="")) == image.figure_html(
        caption=""
    )


def test_rewriting_twice_gives_the_same_body_and_never_nests_figures():
    image = stored_image(credit="Photo: Ana Reyes")
    once = with_library_figures(editor_figure(image.src))

    assert with_library_figures(once) == once
    # As the editor loads it back (no <small>: the credit's text stays in the caption).
    reloaded = editor_figure(image.src, caption="The harbour at dawn Photo: Ana Reyes")
    assert with_library_figures(reloaded) == once
    assert once.count("<figure") == 1


def test_images_not_from_the_library_are_left_as_they_are():
    stored_image()
    body = (
        editor_figure("https://example.org/harbour.jpg")
        + editor_figure("/media/images/ab/" + "0" * 32 + "/v1-800w.jpg")
        + '<p><img src="/static/favicon.svg" alt="Icon"></p>'
    )

    assert with_library_figures(body) == body


def test_a_library_image_outside_a_figure_gets_the_library_img():
    image = stored_image()

    body = with_library_figures(f'<p>Inline <img src="{image.src}" alt="x"> here</p>')

    assert body.startswith('<p>Inline <img src="') and body.endswith("> here</p>")
    assert f'srcset="{image.srcset()}"' in body
    assert "<figure" not in body


def test_the_library_markup_passes_the_stored_html_allowlist():
    image = stored_image(caption="Caption & more", credit="Photo")
    body = with_library_figures(editor_figure(image.src, caption="Caption &amp; more"))

    assert sanitize_article_html(body) == body
