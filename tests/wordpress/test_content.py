from wordpress.content import convert_post_content, escape_shortcodes, wpautop


def test_blank_lines_become_paragraphs_and_single_newlines_line_breaks():
    assert wpautop("First line\nsecond line.\n\nNew paragraph.") == (
        "<p>First line<br />\nsecond line.</p>\n<p>New paragraph.</p>\n"
    )


def test_block_elements_are_not_wrapped_in_paragraphs():
    html = wpautop("Intro.\n\n<ul>\n<li>One</li>\n</ul>\n\n<blockquote>Quoted.</blockquote>")

    assert "<p><ul>" not in html
    assert "<ul>\n<li>One</li>\n</ul>" in html
    assert "<blockquote><p>Quoted.</p></blockquote>" in html


def test_preformatted_text_keeps_its_blank_lines():
    html = wpautop("Code:\n\n<pre>a = 1\n\nb = 2</pre>")

    assert "<pre>a = 1\n\nb = 2</pre>" in html


def test_caption_shortcode_becomes_a_figure_with_a_caption():
    post = convert_post_content(
        '[caption id="attachment_9" align="alignleft" width="300"]'
        '<a href="https://old.example/cat.jpg"><img src="https://old.example/cat.jpg" '
        'alt="A cat" /></a> The office cat[/caption]'
    )

    assert post.body.startswith('<figure><a href="https://old.example/cat.jpg"><img ')
    assert post.body.rstrip().endswith("<figcaption>The office cat</figcaption></figure>")


def test_old_style_caption_attribute_is_used():
    post = convert_post_content('[caption caption="Harbour at dawn"]<img src="h.jpg" />[/caption]')

    assert '<figure><img src="h.jpg" /><figcaption>Harbour at dawn</figcaption></figure>' in (
        post.body
    )


def test_unknown_shortcodes_are_dropped_and_reported():
    post = convert_post_content(
        'Photos:\n\n[gallery ids="1,2,3"]\n\n[contact-form]Hi[/contact-form]'
    )

    assert "[" not in post.body
    assert "Hi" not in post.body
    assert post.dropped_shortcodes == {"gallery": 1, "contact-form": 1}


def test_escaped_shortcode_is_kept_as_literal_text():
    post = convert_post_content("Type [[gallery]] to show photos.")

    assert "Type [gallery] to show photos." in post.body
    assert not post.dropped_shortcodes


def test_embed_shortcode_becomes_a_link():
    post = convert_post_content("[embed]https://video.example/v/1[/embed]")

    assert '<a href="https://video.example/v/1">https://video.example/v/1</a>' in post.body


def test_gutenberg_block_comments_are_stripped_without_adding_paragraphs():
    post = convert_post_content(
        "<!-- wp:paragraph -->\n<p>One\nline</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":5,"sizeSlug":"large"} -->\n'
        '<figure class="wp-block-image"><img src="a.jpg" /></figure>\n<!-- /wp:image -->'
    )

    assert "wp:" not in post.body
    assert "<p>One\nline</p>" in post.body
    assert "<br" not in post.body


def test_more_tag_splits_off_the_teaser():
    post = convert_post_content("Teaser <b>text</b>.\n<!--more Read on-->\nRest.")

    assert post.teaser == "Teaser text."
    assert "<!--more" not in post.body
    assert "Rest." in post.body


def test_escaping_shortcodes_survives_conversion():
    html = "<p>Footnote [1] and [note]this[/note].</p>"

    assert (
        convert_post_content(f"<!-- wp:html -->\n{escape_shortcodes(html)}\n<!-- /wp:html -->").body
        == html
    )
