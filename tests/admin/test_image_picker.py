"""The article editor's image picker: the media library as thumbnails, for staff who may
see images, answering the editor's "Browse..." button."""

import pytest
from django.urls import reverse

from articles.editor import body_extensions
from articles.models import Article
from tests.articles.test_library_figures import editor_figure
from tests.factories import UserFactory
from tests.images import stored_image

from .conftest import staff_in
from .test_article_editor import article_form_data

pytestmark = pytest.mark.django_db

PICKER = reverse("admin:articles_image_picker")


def test_the_editor_figure_dialog_browses_the_picker():
    assert body_extensions()["Figure"] == {"pickerUrl": PICKER}


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(PICKER)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_reader_is_sent_to_the_login_page(client):
    client.force_login(UserFactory(username="reader"))

    response = client.get(PICKER)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_image_view_permission_are_refused(client):
    client.force_login(staff_in("Moderators", username="moderator"))

    assert client.get(PICKER).status_code == 403


def test_editor_sees_the_library_as_thumbnails_with_alt_text(editor_client):
    image = stored_image(title="Harbour at dawn", caption="Boats before the storm")

    response = editor_client.get(PICKER, {"CKEditorFuncNum": "-1"})

    assert response.status_code == 200
    html = response.content.decode()
    # The address the body uses is a rendition; the thumbnail the smallest fitting one.
    assert f'data-url="{image.src}"' in html
    assert f'data-alt="{image.alt_text}"' in html
    assert 'data-caption="Boats before the storm"' in html
    assert f'src="{image.rendition(480)[2]}"' in html
    assert image.alt_text in html
    assert 'data-callback="-1"' in html
    # Our own script, no inline one.
    assert "articles/image-picker.js" in html
    assert "<script>" not in html


def test_search_narrows_the_library_by_title_alt_text_or_caption(editor_client):
    harbour = stored_image(title="Harbour at dawn", alt_text="Boats moored at the quay")
    tram = stored_image(title="Tram stop", alt_text="A tram at the ferry stop", caption="Line 4")

    by_alt = editor_client.get(PICKER, {"q": "ferry", "CKEditorFuncNum": "3"}).content.decode()
    by_caption = editor_client.get(PICKER, {"q": "line 4"}).content.decode()
    nothing = editor_client.get(PICKER, {"q": "volcano"}).content.decode()

    assert f'data-id="{tram.pk}"' in by_alt
    assert f'data-id="{harbour.pk}"' not in by_alt
    # The search keeps the editor's callback number for the next page.
    assert 'name="CKEditorFuncNum" value="3"' in by_alt
    assert f'data-id="{tram.pk}"' in by_caption
    assert f'data-id="{harbour.pk}"' not in by_caption
    assert "No image in the library matches" in nothing


def test_a_callback_number_that_is_not_one_is_dropped(editor_client):
    stored_image()

    html = editor_client.get(PICKER, {"CKEditorFuncNum": '1");alert(1)//'}).content.decode()

    assert "alert(1)" not in html
    assert 'data-callback=""' in html
    assert "Open this page from the article editor" in html


def test_alt_text_and_titles_are_escaped(editor_client):
    stored_image(title='<b>"Bold"</b>', alt_text='A "quoted" <script>alt</script>')

    html = editor_client.get(PICKER, {"CKEditorFuncNum": "1"}).content.decode()

    assert "<script>alt" not in html
    assert "&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;" in html


def test_saving_in_the_admin_stores_the_library_figure(editor_client):
    image = stored_image()
    body = "<p>Lead.</p>" + editor_figure(image.src)

    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(body=body)
    )

    assert response.status_code == 302
    stored = Article.objects.get().body
    assert stored == "<p>Lead.</p>" + image.figure_html(caption="The harbour at dawn")
