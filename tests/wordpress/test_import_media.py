"""import_wxr keeps the attachments it is given: images in the library, featured images,
and the old site's links to them rewritten to ours."""

import pytest
from django.core.files.storage import FileSystemStorage

from articles.models import Article, Image
from tests.images import SCRIPT_NAMED_JPG, image_bytes, jpeg_with_gps_and_rotation

from .conftest import wxr_post

pytestmark = pytest.mark.django_db

OLD = "https://old.example/wp-content/uploads"


def wxr_attachment(post_id, path, *, title="Harbour", alt="Boats in the harbour", caption=""):
    return f"""<item><title>{title}</title><link>https://old.example/?attachment_id={post_id}</link>
<dc:creator><![CDATA[ed]]></dc:creator>
<content:encoded><![CDATA[]]></content:encoded>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2019-03-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2019-03-01 10:00:00</wp:post_date_gmt><wp:post_name>harbour</wp:post_name>
<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>{OLD}/{path}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[{path}]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
</item>
"""


def post_with_thumbnail(post_id, thumbnail_id, content):
    return wxr_post(post_id, content=content).replace(
        "</item>",
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        f"<wp:meta_value>{thumbnail_id}</wp:meta_value></wp:postmeta></item>",
    )


def put(directory, path, content):
    target = directory / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


BODY = (
    f'<p>Before.</p><p><a href="{OLD}/2019/03/harbour.jpg">'
    f'<img src="{OLD}/2019/03/harbour-300x200.jpg" alt="Boats" width="300" height="200">'
    '</a></p><p><img src="https://elsewhere.example/2019/03/harbour.jpg" alt="x"></p>'
)


@pytest.fixture
def uploads(tmp_path):
    media_dir = tmp_path / "copy-of-uploads"
    put(
        media_dir,
        "wp-content/uploads/2019/03/harbour.jpg",
        jpeg_with_gps_and_rotation((1500, 1000)),
    )
    return media_dir


def test_attachments_in_media_dir_become_images_featured_and_linked(
    write_wxr, import_wxr, uploads, settings
):
    # The post comes before its attachment, as in many exports.
    export = write_wxr(post_with_thumbnail(1, 50, BODY), wxr_attachment(50, "2019/03/harbour.jpg"))

    output = import_wxr(export, "--media-dir", str(uploads))

    image = Image.objects.get()
    assert (image.wordpress_id, image.title, image.alt_text) == (
        50,
        "Harbour",
        "Boats in the harbour",
    )
    # Through the same checks as an upload: EXIF gone, orientation applied.
    assert (image.width, image.height) == (1000, 1500)
    assert b"Secret Camera" not in (settings.MEDIA_ROOT / image.file.name).read_bytes()
    article = Article.objects.get()
    assert article.featured_image == image
    assert f'<a href="{image.url}">' in article.body
    # WordPress's 300-wide copy: our rendition that fits.
    assert f'<img src="{image.rendition(300)[2]}"' in article.body
    assert OLD not in article.body
    # Another site's file of the same name is not ours.
    assert "https://elsewhere.example/2019/03/harbour.jpg" in article.body
    assert (
        "Images: 1 imported, 0 already in the library; 1 featured images set; "
        "links rewritten in 1 articles." in output
    )


def test_files_beside_the_export_are_found_without_media_dir(write_wxr, import_wxr, tmp_path):
    put(tmp_path, "wp-content/uploads/2019/03/harbour.jpg", image_bytes("JPEG", (800, 600)))
    export = write_wxr(wxr_attachment(50, "2019/03/harbour.jpg"), post_with_thumbnail(1, 50, "Hi."))

    import_wxr(export)

    assert Article.objects.get().featured_image == Image.objects.get()


def test_a_missing_file_is_reported_and_not_fatal(write_wxr, import_wxr, uploads):
    export = write_wxr(
        wxr_attachment(50, "2019/03/harbour.jpg"),
        wxr_attachment(51, "2019/04/gone.png"),
        post_with_thumbnail(1, 51, f'<img src="{OLD}/2019/04/gone.png" alt="x">'),
    )

    output = import_wxr(export, "--media-dir", str(uploads))

    assert Image.objects.count() == 1
    article = Article.objects.get()
    assert article.featured_image is None
    assert f"{OLD}/2019/04/gone.png" in article.body
    assert "(1; their links still point at the old site): 2019/04/gone.png." in output


def test_a_hostile_file_goes_through_the_upload_checks_and_is_refused(
    write_wxr, import_wxr, tmp_path, settings
):
    put(tmp_path, "wp-content/uploads/2019/03/harbour.jpg", SCRIPT_NAMED_JPG)
    export = write_wxr(wxr_attachment(50, "2019/03/harbour.jpg"), post_with_thumbnail(1, 50, "Hi."))

    output = import_wxr(export)

    assert not Image.objects.exists()
    assert "Attachment refused, 2019/03/harbour.jpg: This file is not a JPEG" in output
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_an_attached_file_path_cannot_lead_out_of_the_media_dir(write_wxr, import_wxr, tmp_path):
    export_dir = tmp_path / "export"
    export_dir.mkdir()
    put(tmp_path, "secret.png", image_bytes("PNG", (100, 100)))
    export = export_dir / "export.xml"
    export.write_text(write_wxr(wxr_attachment(50, "../secret.png")).read_text())

    output = import_wxr(export, "--media-dir", str(export_dir))

    assert not Image.objects.exists()
    assert "(1; their links still point at the old site): ../secret.png." in output


def test_importing_again_creates_no_image_and_writes_no_file(
    write_wxr, import_wxr, uploads, monkeypatch
):
    export = write_wxr(wxr_attachment(50, "2019/03/harbour.jpg"), post_with_thumbnail(1, 50, BODY))
    import_wxr(export, "--media-dir", str(uploads))
    saved = []
    monkeypatch.setattr(FileSystemStorage, "_save", lambda self, name, content: saved.append(name))

    output = import_wxr(export, "--media-dir", str(uploads))

    assert Image.objects.count() == 1
    assert saved == []
    assert "Images: 0 imported, 1 already in the library" in output


def test_a_dry_run_stores_no_file(write_wxr, import_wxr, uploads, settings):
    export = write_wxr(wxr_attachment(50, "2019/03/harbour.jpg"), post_with_thumbnail(1, 50, BODY))

    output = import_wxr(export, "--dry-run", "--media-dir", str(uploads))

    assert not Image.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
    assert "Images: 1 imported" in output


def test_a_refused_import_leaves_no_image_files(write_wxr, import_wxr, uploads, settings):
    from django.core.management.base import CommandError

    export = write_wxr(
        wxr_attachment(50, "2019/03/harbour.jpg"),
        post_with_thumbnail(1, 50, "Hi."),
        wxr_post(-5),  # an id WordPress never gives: the import stops, nothing kept
    )

    with pytest.raises(CommandError):
        import_wxr(export, "--media-dir", str(uploads))

    assert not Image.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
