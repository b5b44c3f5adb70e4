import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_missing_page_is_a_friendly_404_in_the_site_design(client, settings):
    settings.SITE_NAME = "The Larkspur Courier"

    response = client.get("/no/such/page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert '<header class="site-header">' in page
    assert "The Larkspur Courier" in page
    assert "We couldn’t find that page" in page
    assert 'href="/archive/"' in page


def test_server_error_page_renders_in_the_site_design_without_the_database(
    settings, django_assert_num_queries
):
    settings.SITE_NAME = "The Larkspur Courier"

    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert '<header class="site-header">' in page
    assert "The Larkspur Courier" in page
    assert "Something went wrong" in page


def test_server_error_template_needs_no_context():
    page = render_to_string("500.html")

    assert "/static/css/site.css" in page
