"""An article's featured image: on its page, on listings, in its social cards and feeds."""

import re
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.sanitizer import sanitize_article_html
from tests.articles.test_query_counts import ARTICLE_PAGE_QUERIES, FRONT_PAGE_QUERIES
from tests.factories import ArticleFactory
from tests.images import stored_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def featured(settings):
    settings.SITE_URL = "https://news.example"
    image = stored_image(
        size=(2000, 1200), caption="Boats in the harbour.", credit="Photo: Ana Reyes"
    )
    article = ArticleFactory(title="Harbour reopens", featured_image=image)
    return article, image


def img_tags(html):
    return re.findall(r"<img [^>]*>", html)


def test_article_page_shows_the_featured_image_with_srcset_size_alt_and_caption(client, featured):
    article, image = featured

    html = client.get(article.get_absolute_url()).content.decode()

    [img] = [tag for tag in img_tags(html) if "/media/" in tag]
    assert 'width="2000" height="1200"' in img
    assert f'alt="{image.alt_text}"' in img
    assert "480w" in img and "1600w" in img
    assert 'fetchpriority="high"' in img  # the lead image: above the fold
    assert 'loading="lazy"' not in img
    assert '<source type="image/webp" srcset="' in html
    assert '<figcaption>Boats in the harbour. <span class="credit">Photo: Ana Reyes</span>' in html


def test_front_page_teaser_shows_the_image_and_only_the_first_is_eager(client, featured):
    _, image = featured
    second = stored_image(size=(900, 600))
    ArticleFactory(
        title="Older story",
        featured_image=second,
        published_at=image.uploaded_at.replace(year=2020),
    )

    html = client.get("/").content.decode()

    images = [tag for tag in img_tags(html) if "/media/" in tag]
    assert len(images) == 2
    assert 'fetchpriority="high"' in images[0]
    assert 'loading="lazy"' in images[1]
    assert 'width="900" height="600"' in images[1]
    assert f'alt="{second.alt_text}"' in images[1]
    assert "srcset=" in images[1]


def test_open_graph_and_twitter_cards_carry_the_image_with_an_absolute_url(client, featured):
    article, image = featured

    html = client.get(article.get_absolute_url()).content.decode()

    url = "https://news.example" + image.rendition(1200)[2]
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="720">' in html
    assert f'<meta property="og:image:alt" content="{image.alt_text}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'"image": ["{url}"]' in html  # the NewsArticle's JSON-LD


def test_rss_has_an_enclosure_and_atom_a_link_rel_enclosure(client, featured):
    _, image = featured
    url = "https://news.example" + image.rendition(1200)[2]
    size = image.rendition_bytes(1200)

    rss = client.get("/feed/").content.decode()
    atom = client.get("/feed/atom/").content.decode()

    assert f'<enclosure length="{size}" type="image/jpeg" url="{url}"' in rss
    assert f'<link href="{url}" length="{size}" rel="enclosure" type="image/jpeg"' in atom


def test_an_article_without_an_image_has_no_image_markup(client):
    article = ArticleFactory()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "/media/" not in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_small_image_is_never_upscaled(client):
    image = stored_image(size=(640, 480))

    assert sorted({r["width"] for r in image.renditions}) == [480, 640]
    assert image.srcset().endswith("640w")


def test_renditions_are_made_once_at_upload_and_never_by_a_page_view(client, featured):
    article, _ = featured

    with mock.patch.object(FileSystemStorage, "_save") as save:
        for _ in range(2):
            client.get(article.get_absolute_url())
            client.get("/")
            client.get("/feed/")

    save.assert_not_called()


def test_figure_html_for_the_body_passes_the_allowlist_unchanged(featured):
    _, image = featured

    html = image.figure_html(caption="The harbour at dawn")

    assert sanitize_article_html(html) == html
    assert html.startswith("<figure><img ")
    assert 'loading="lazy"' in html and "srcset=" in html and 'width="2000"' in html
    assert "<figcaption>The harbour at dawn <small>Photo: Ana Reyes</small></figcaption>" in html


def test_the_allowlist_drops_a_srcset_pointing_elsewhere():
    html = sanitize_article_html(
        '<img src="/media/a.jpg" srcset="https://evil.example/x.jpg 480w, /media/a.jpg 800w" '
        'sizes="100vw" alt="x">'
        '<img src="/media/b.jpg" srcset="javascript:alert(1) 1x" alt="y">'
        '<img src="/media/c.jpg" sizes="&quot;><script>" alt="z">'
    )

    assert "evil.example" not in html
    assert "javascript" not in html
    assert "<script" not in html
    assert 'sizes="100vw"' in html


def test_front_page_with_featured_images_costs_the_same_queries(client, django_assert_num_queries):
    for _ in range(5):
        ArticleFactory(featured_image=stored_image(size=(900, 600)))

    with django_assert_num_queries(FRONT_PAGE_QUERIES):
        assert client.get("/").status_code == 200


def test_article_page_with_a_featured_image_costs_the_same_queries(
    client, featured, django_assert_num_queries
):
    article, _ = featured

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_feeds_with_featured_images_cost_the_same_queries(client, django_assert_num_queries):
    ArticleFactory()
    with CaptureQueriesContext(connection) as baseline:
        client.get("/feed/")
    for _ in range(4):
        ArticleFactory(featured_image=stored_image(size=(900, 600)))

    with django_assert_num_queries(len(baseline)):
        assert client.get("/feed/").status_code == 200


def test_make_renditions_adds_new_widths_once_and_then_writes_nothing(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.IMAGES_RENDITION_WIDTHS = [480, 800]
    image = stored_image(size=(2000, 1200))
    assert sorted({r["width"] for r in image.renditions}) == [480, 800]
    settings.IMAGES_RENDITION_WIDTHS = [480, 800, 1200]

    first = StringIO()
    call_command("make_renditions", stdout=first)
    with mock.patch.object(FileSystemStorage, "_save") as save:
        second = StringIO()
        call_command("make_renditions", stdout=second)

    image.refresh_from_db()
    assert sorted({r["width"] for r in image.renditions}) == [480, 800, 1200]
    assert "2 files made for 1 images" in first.getvalue()
    assert "0 files made for 0 images" in second.getvalue()
    save.assert_not_called()


def test_a_new_alt_text_shows_at_once_on_the_cached_page(client, featured):
    article, image = featured
    client.get(article.get_absolute_url())  # now in the page cache

    image.alt_text = "The harbour wall, breached in two places"
    image.save()

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="The harbour wall, breached in two places"' in html


def test_an_animated_gif_is_kept_whole_without_renditions():
    import io

    from PIL import Image as PILImage

    from articles import imaging
    from articles.models import Image

    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    frames = [PILImage.new("RGB", (300, 200), colour) for colour in colours]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    image = Image.objects.store(
        imaging.check_image(out.getvalue()), title="Spinner", decorative=True
    )

    assert image.renditions == []
    assert image.srcset() == f"{image.url} 300w"
    assert image.webp_srcset == ""
    with image.file.storage.open(image.file.name) as stored:
        assert PILImage.open(stored).n_frames == 3


def test_an_image_featured_on_an_article_cannot_be_deleted(featured):
    from django.db.models import ProtectedError

    _, image = featured

    with pytest.raises(ProtectedError):
        image.delete()


def test_the_lead_story_shows_its_image_first_and_the_teasers_under_it_load_lazily(
    client, featured
):
    _, image = featured
    ArticleFactory(
        title="Older story",
        featured_image=stored_image(size=(900, 600)),
        published_at=image.uploaded_at.replace(year=2020),
    )

    html = client.get("/").content.decode()

    lead = html[html.index('<article class="lead-story">') : html.index("</article>")]
    [lead_image] = img_tags(lead)
    assert 'fetchpriority="high"' in lead_image and 'width="2000"' in lead_image
    assert [tag for tag in img_tags(html) if "fetchpriority" in tag] == [lead_image]


def test_a_password_protected_article_shows_no_featured_image_anywhere(client, featured):
    article, _ = featured
    article.password = "harbour"
    article.save()

    for url in ("/", article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "/media/" not in html, url
    assert "og:image" not in client.get(article.get_absolute_url()).content.decode()
