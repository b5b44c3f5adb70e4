"""Static pages: served at their nested paths, drafts hidden from readers, the body
sanitised on every save, in the sitemap, never on one of the site's own addresses."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from articles.models import Page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def make_page(slug, *, parent=None, title=None, status=Page.Status.PUBLISHED, body="<p>Hi.</p>"):
    return Page.objects.create(
        title=title or slug.title(), slug=slug, parent=parent, status=status, body=body
    )


def test_a_published_page_answers_at_its_path(client):
    make_page("about", title="About us", body="<p>Who we are.</p>")

    response = client.get("/about/")

    assert response.status_code == 200
    assert b"About us" in response.content
    assert b"<p>Who we are.</p>" in response.content


def test_a_nested_page_answers_at_its_parents_path_with_a_way_up(client):
    about = make_page("about", title="About us")
    make_page("team", parent=about, title="Our team")

    response = client.get("/about/team/")

    assert response.status_code == 200
    assert b"Our team" in response.content
    assert b'<a href="/about/">About us</a>' in response.content
    assert client.get("/team/").status_code == 404


def test_a_draft_page_is_not_found_by_readers(client):
    make_page("corrections", status=Page.Status.DRAFT)

    assert client.get("/corrections/").status_code == 404


def test_editors_preview_a_draft_page(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page = make_page("corrections", status=Page.Status.DRAFT)
    client.force_login(editor)

    response = client.get("/corrections/")

    assert response.status_code == 200
    assert b"readers cannot see it" in response.content
    assert f'href="/admin/articles/page/{page.pk}/change/"'.encode() in response.content


def test_an_unknown_path_is_not_found_whatever_the_method(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.post("/no-such-page/").status_code == 404


def test_a_page_answers_get_alone(client):
    make_page("about")

    assert client.post("/about/").status_code == 405


def test_the_body_is_sanitised_on_every_save():
    page = make_page("about", body='<p>Hi</p><script>alert(1)</script><p onclick="x()">There</p>')

    assert "<script" not in page.body and "onclick" not in page.body
    page.body = '<img src="x" onerror="alert(1)">'
    page.save()

    page.refresh_from_db()
    assert "onerror" not in page.body


def test_moving_a_parent_moves_its_children(client):
    about = make_page("about")
    team = make_page("team", parent=about)
    make_page("editors", parent=team)

    about.slug = "who-we-are"
    about.save()

    assert client.get("/who-we-are/team/editors/").status_code == 200
    assert client.get("/about/team/editors/").status_code == 404


def test_a_page_with_pages_under_it_is_not_deleted():
    about = make_page("about")
    make_page("team", parent=about)

    with pytest.raises(ProtectedError):
        about.delete()


@pytest.mark.parametrize(
    "slug", ["feed", "category", "tag", "author", "admin", "2020", "search", "comments", "archive"]
)
def test_a_top_level_slug_on_one_of_the_sites_addresses_is_refused(slug):
    page = Page(title="Clash", slug=slug, status=Page.Status.PUBLISHED)

    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    assert "one of the site's own addresses" in str(refused.value.message_dict["slug"])


def test_the_same_slug_under_a_parent_is_allowed():
    about = make_page("about")

    Page(title="Feed", slug="feed", parent=about).full_clean()


def test_a_page_cannot_be_placed_under_itself():
    about = make_page("about")
    team = make_page("team", parent=about)
    about.parent = team

    with pytest.raises(ValidationError):
        about.full_clean()


def test_published_pages_are_in_the_sitemap_and_drafts_are_not(client):
    make_page("about")
    make_page("secret-plans", status=Page.Status.DRAFT)
    ArticleFactory()

    sitemap = client.get("/sitemap-pages.xml").content

    assert b"/sitemap-pages.xml</loc>" in client.get("/sitemap.xml").content
    assert b"/about/</loc>" in sitemap
    assert b"secret-plans" not in sitemap


def test_an_edited_page_shows_at_once_to_readers_of_the_cached_page(client):
    page = make_page("about", body="<p>Old text.</p>")
    assert b"Old text." in client.get("/about/").content
    assert client.get("/about/")["X-Page-Cache"] == "hit"

    page.body = "<p>New text.</p>"
    page.save()

    assert b"New text." in client.get("/about/").content


def test_a_page_costs_two_queries(client, django_assert_num_queries):
    about = make_page("about")
    make_page("team", parent=about)
    client.get("/about/")  # the section navigation, shared, is rendered once

    # The page, then the titles of the pages above it.
    with django_assert_num_queries(2):
        assert client.get("/about/team/").status_code == 200
