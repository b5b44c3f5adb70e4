"""Editors upload images to the media library in the admin; hostile files are refused."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.models import Image
from tests.factories import ArticleFactory
from tests.images import (
    PAYLOAD,
    SCRIPT_NAMED_JPG,
    SVG,
    image_bytes,
    jpeg_with_gps_and_rotation,
    png_declaring,
    stored_image,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/image/add/"


def upload(client, content, name="photo.jpg", content_type="image/jpeg", **fields):
    data = {
        "upload": SimpleUploadedFile(name, content, content_type=content_type),
        "title": "",
        "alt_text": "A red square on the harbour wall",
        "caption": "",
        "credit": "",
        **fields,
    }
    return client.post(ADD_URL, data)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def refusal(response):
    assert response.status_code == 200, "the form comes back with its error"
    return " ".join(str(e) for e in response.context["adminform"].form.errors.get("upload", []))


@pytest.mark.parametrize(
    ("image_format", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")],
)
def test_editor_uploads_an_image_of_each_accepted_format(
    editor_client, editor, settings, image_format, extension
):
    response = upload(editor_client, image_bytes(image_format, (1000, 600)), name="Harbour.bin")

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.format, image.width, image.height) == (image_format, 1000, 600)
    assert image.title == "Harbour"
    assert image.uploaded_by == editor
    # The stored name and extension come from what the file is, not what it was called.
    assert image.file.name.endswith(f"/original.{extension}")
    with default_storage.open(image.file.name) as stored:
        assert PILImage.open(stored).format == image_format
    widths = sorted({r["width"] for r in image.renditions})
    assert widths == [480, 800, 1000]
    formats = {r["format"] for r in image.renditions}
    assert "WEBP" in formats
    for rendition in image.renditions:
        assert default_storage.exists(rendition["name"])


def test_a_script_named_jpg_is_refused_and_nothing_is_stored(editor_client, settings):
    response = upload(editor_client, SCRIPT_NAMED_JPG, name="holiday.jpg")

    assert "not a JPEG, PNG, WebP or GIF image" in refusal(response)
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_an_svg_is_refused(editor_client, settings):
    response = upload(editor_client, SVG, name="logo.svg", content_type="image/svg+xml")

    assert "SVG and other formats are not accepted" in refusal(response)
    assert stored_files(settings) == []


def test_a_decompression_bomb_is_refused_with_a_clear_message(editor_client, settings):
    bomb = png_declaring(8_000, 8_000)  # 64 million pixels, over the 50 million limit
    assert len(bomb) < 200

    response = upload(editor_client, bomb, name="bomb.png", content_type="image/png")

    message = refusal(response)
    assert "too large to process (8,000 × 8,000 pixels)" in message
    assert "decompression bomb" in message
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_bomb_beyond_pillows_own_limit_is_refused_too(editor_client, settings):
    settings.IMAGES_MAX_PIXELS = 10**12  # our limit out of the way: Pillow's still holds
    response = upload(editor_client, png_declaring(200_000, 200_000), name="bomb.png")

    assert "decompression bomb" in refusal(response)
    assert not Image.objects.exists()


def test_an_oversize_file_is_refused(editor_client, settings):
    settings.IMAGES_MAX_UPLOAD_BYTES = 1000

    response = upload(editor_client, image_bytes("PNG", (400, 400)) + b"\0" * 2000)

    assert "images may be at most 1000" in refusal(response)
    assert stored_files(settings) == []


def test_a_polyglot_is_stored_without_its_trailing_payload(editor_client, settings):
    polyglot = image_bytes("JPEG", (600, 400)) + PAYLOAD

    response = upload(editor_client, polyglot, name="innocent.jpg")

    assert response.status_code == 302
    files = stored_files(settings)
    assert files
    for name in files:
        content = (settings.MEDIA_ROOT / name).read_bytes()
        assert b"<script" not in content
        assert b"<html" not in content


def test_exif_and_gps_are_removed_and_the_orientation_applied(editor_client, settings):
    response = upload(editor_client, jpeg_with_gps_and_rotation((1200, 800)))

    assert response.status_code == 302
    image = Image.objects.get()
    # Orientation 6: the camera held sideways; the stored pixels are upright.
    assert (image.width, image.height) == (800, 1200)
    for name in stored_files(settings):
        content = (settings.MEDIA_ROOT / name).read_bytes()
        assert b"Secret Camera" not in content
        with PILImage.open(io.BytesIO(content)) as stored:
            assert not stored.getexif()
            assert stored.size[0] < stored.size[1]


def test_alt_text_is_required_unless_the_image_is_decorative(editor_client, settings):
    response = upload(editor_client, image_bytes("PNG", (300, 200)), alt_text="")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["alt_text"] == ["Describe the image, or mark it as decorative."]
    # Nothing half-stored: the files written for it were removed again.
    assert stored_files(settings) == []
    assert not Image.objects.exists()

    response = upload(editor_client, image_bytes("PNG", (300, 200)), alt_text="", decorative="on")

    assert response.status_code == 302
    assert Image.objects.get().alt == ""


def test_the_same_file_twice_is_refused_with_a_link_to_the_first(editor_client):
    content = image_bytes("PNG", (300, 200))
    upload(editor_client, content)
    first = Image.objects.get()

    response = upload(editor_client, content)

    assert "already in the library" in refusal(response)
    assert first.admin_url() in refusal(response)
    assert Image.objects.count() == 1


def test_the_library_lists_thumbnails_and_the_change_page_shows_the_body_html(editor_client):
    image = stored_image(title="Lifeboat launch")

    listing = editor_client.get("/admin/articles/image/")
    change = editor_client.get(f"/admin/articles/image/{image.pk}/change/")

    assert listing.status_code == 200
    assert f'class="image-thumbnail" src="{image.rendition(480)[2]}"' in listing.content.decode()
    assert "Lifeboat launch" in listing.content.decode()
    assert change.status_code == 200
    page = change.content.decode()
    assert "Renditions at widths 480, 800, 1200, 1600" in page
    assert "&lt;figure&gt;&lt;img" in page  # the figure's HTML, to copy into a body


def test_the_article_form_picks_its_featured_image_from_the_library(editor_client):
    article = ArticleFactory()

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert 'name="featured_image"' in page
    # The lookup opens the library's list (with its thumbnails) as a picker.
    assert 'href="/admin/articles/image/?_to_field=id"' in page


def test_the_article_form_shows_a_thumbnail_of_its_featured_image(editor_client):
    image = stored_image(title="Lifeboat launch")
    article = ArticleFactory(featured_image=image)

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "Lifeboat launch" in page
    thumbnail = f'<img class="image-thumbnail" src="{image.rendition(480)[2]}"'
    assert f'<div class="featured-image-thumbnail">{thumbnail}' in page


def test_deleting_an_image_removes_its_files(
    editor_client, settings, django_capture_on_commit_callbacks
):
    image = stored_image()
    assert stored_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert stored_files(settings) == []
