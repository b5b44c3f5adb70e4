"""WordPress pages come across as static pages at their old addresses, nested ones too;
`?page_id=` leads to them; a re-import creates nothing; the export writes them back."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Page
from wordpress.models import ImportedPage

from .conftest import THEME_UNIT_TEST_DATA, wxr_comment, wxr_post

pytestmark = pytest.mark.django_db


def wxr_page(post_id, slug, *, parent=0, status="publish", link=None, content="<p>Text.</p>",
             comments=""):  # fmt: skip
    item = wxr_post(
        post_id,
        slug=slug,
        status=status,
        title=slug.replace("-", " ").title(),
        content=content,
        link=link or f"https://old.example/{slug}/",
        post_type="page",
        comments=comments,
    )
    return item.replace("</item>", f"<wp:post_parent>{parent}</wp:post_parent></item>")


@pytest.fixture
def theme_unit_test_pages(import_wxr):
    return import_wxr(THEME_UNIT_TEST_DATA)


def test_theme_unit_test_pages_answer_at_their_old_paths(client, theme_unit_test_pages):
    paths = [
        "/about/",
        "/about/page-with-comments/",
        "/about/clearing-floats/",
        "/level-1/",
        "/level-1/level-2/",
        "/level-1/level-2/level-3/",
        "/level-1/level-2a/",
        "/lorem-ipsum/",
        "/greek/",
        "/greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/",
        "/greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-3/",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert Page.objects.published().count() == 21


def test_the_summary_lists_pages_and_the_comments_on_them_it_skipped(theme_unit_test_pages):
    assert "Pages: 21 created (21 published), 0 already imported." in theme_unit_test_pages
    assert "comments on pages (pages take no comments here)" in theme_unit_test_pages
    assert "page items" not in theme_unit_test_pages


def test_page_id_query_redirects_to_the_page(client, theme_unit_test_pages):
    response = client.get("/?page_id=173")

    assert response.status_code == 301
    assert response["Location"] == "/level-1/level-2/"
    assert client.get(response["Location"]).status_code == 200
    # WordPress answers ?p= with a page's id too.
    assert client.get("/?p=173")["Location"] == "/level-1/level-2/"
    assert client.get("/?page_id=99999").status_code == 404


def test_importing_again_creates_no_page(import_wxr, theme_unit_test_pages):
    output = import_wxr(THEME_UNIT_TEST_DATA)

    assert "Pages: 0 created (none), 21 already imported." in output
    assert Page.objects.count() == 21
    assert ImportedPage.objects.count() == 21


def test_draft_and_private_pages_come_as_drafts_and_stay_hidden(client, write_wxr, import_wxr):
    output = import_wxr(
        write_wxr(
            wxr_page(10, "plans", status="draft"),
            wxr_page(11, "staff-only", status="private"),
            wxr_page(12, "trashed", status="trash"),
        )
    )

    assert set(Page.objects.values_list("slug", "status")) == {
        ("plans", "draft"),
        ("staff-only", "draft"),
    }
    assert client.get("/plans/").status_code == 404
    assert client.get("/staff-only/").status_code == 404
    assert client.get("/?page_id=11").status_code == 404
    assert "Skipped 1: pages with status 'trash'." in output


def test_a_child_before_its_parent_in_the_file_is_nested(client, write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_page(21, "team", parent=20), wxr_page(20, "about")))

    assert client.get("/about/team/").status_code == 200


def test_a_page_body_goes_through_the_conversion_and_the_sanitiser(client, write_wxr, import_wxr):
    content = "<!-- wp:paragraph -->\n<p>Hello</p>\n<!-- /wp:paragraph --><script>alert(1)</script>"
    import_wxr(write_wxr(wxr_page(20, "about", content=content)))

    body = Page.objects.get(slug="about").body
    assert "<p>Hello</p>" in body
    assert "script" not in body and "wp:paragraph" not in body


def test_a_page_on_one_of_the_sites_addresses_is_renamed(client, write_wxr, import_wxr):
    output = import_wxr(write_wxr(wxr_page(20, "feed", link="https://old.example/feed-page/")))

    page = Page.objects.get()
    assert page.path == "feed-page"
    assert "pages whose address is one of the site's own, renamed" in output
    assert client.get("/feed/")["Content-Type"].startswith("application/rss+xml")


def test_a_page_at_another_old_address_redirects_there(client, write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_page(20, "about", link="https://old.example/pages/about/")))

    response = client.get("/pages/about/")

    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_comments_on_pages_are_skipped_with_why(write_wxr, import_wxr):
    output = import_wxr(write_wxr(wxr_page(20, "about", comments=wxr_comment(1))))

    assert "Skipped 1: comments on pages (pages take no comments here)." in output


def test_export_writes_pages_with_their_parents(theme_unit_test_pages):
    out = StringIO()
    call_command("export_wxr", stdout=out)
    xml = out.getvalue()

    items = re.findall(r"<item>.*?</item>", xml, re.S)
    pages = [i for i in items if "<wp:post_type>page</wp:post_type>" in i]
    assert len(pages) == 21
    level_3 = next(i for i in pages if "<wp:post_id>172</wp:post_id>" in i)
    assert "<wp:post_parent>173</wp:post_parent>" in level_3
    assert "<link>http://localhost/level-1/level-2/level-3/</link>" in level_3


def test_an_exported_page_comes_back_in_another_site(write_wxr, import_wxr, tmp_path):
    about = Page.objects.create(title="About", slug="about", status="published", body="<p>Us.</p>")
    Page.objects.create(title="Team", slug="team", parent=about, status="published")
    path = tmp_path / "site.xml"
    call_command("export_wxr", str(path), stderr=StringIO())
    Page.objects.filter(parent__isnull=False).delete()
    Page.objects.all().delete()

    import_wxr(path)

    assert set(Page.objects.values_list("path", flat=True)) == {"about", "about/team"}


def test_an_attachment_page_under_a_page_redirects_to_the_page(client, theme_unit_test_pages):
    response = client.get("/about/clearing-floats/olympus-digital-camera/")

    assert response.status_code == 301
    assert response["Location"] == "/about/clearing-floats/"


def test_a_draft_page_under_a_page_stays_not_found(client):
    about = Page.objects.create(title="About", slug="about", status="published")
    Page.objects.create(title="Plans", slug="plans", parent=about, status="draft")

    assert client.get("/about/plans/").status_code == 404
