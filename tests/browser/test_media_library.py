"""An editor uploads an image, makes it an article's featured image, publishes, and
readers see it in renditions with srcset and alt text."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.factories import ArticleFactory, UserFactory
from tests.images import jpeg_with_gps_and_rotation

from .pages import log_into_admin

pytestmark = [pytest.mark.browser]

ALT = "Storm waves breaking over the harbour wall"


def test_editor_uploads_an_image_features_it_and_readers_see_it(open_page, tmp_path):
    editor = UserFactory(username="editor", is_staff=True)
    # The role as the migrations make it (a browser test's database may have been emptied
    # by an earlier one, taking the groups with it).
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    editor.groups.add(editors)
    article = ArticleFactory(
        title="Harbour wall breached", status=Article.Status.DRAFT, published_at=None
    )
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(jpeg_with_gps_and_rotation((1800, 1200)))

    admin = open_page(None)
    log_into_admin(admin, editor)
    # Upload, through the file chooser.
    admin.goto("/admin/articles/image/add/")
    with admin.expect_file_chooser() as chooser:
        admin.get_by_label("Image file").click()
    chooser.value.set_files(str(photo))
    admin.get_by_label("Alt text").fill(ALT)
    admin.get_by_label("Credit").fill("Photo: Ana Reyes")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    expect(admin.locator("#result_list img.image-thumbnail")).to_have_count(1)
    image = Image.objects.get()

    # Pick it as the featured image from the library, in the lookup's popup.
    admin.goto(f"/admin/articles/article/{article.pk}/change/")
    with admin.expect_popup() as popup:
        admin.locator("#lookup_id_featured_image").click()
    popup.value.get_by_role("link", name="IMG_2041").click()
    expect(admin.locator("#id_featured_image")).to_have_value(str(image.pk))
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")

    # Publish.
    row = admin.locator("#result_list tbody tr", has_text="Harbour wall breached")
    row.get_by_role("checkbox").check()
    admin.get_by_role("combobox", name="Action").select_option(label="Publish selected articles")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 article published")

    article.refresh_from_db()
    reader = open_page(article.get_absolute_url())
    picture = reader.locator(".featured-image img")
    expect(picture).to_have_attribute("alt", ALT)
    expect(picture).to_have_attribute("srcset", re.compile(r"/media/images/.+ 480w, .+ 800w"))
    # Turned upright (EXIF orientation 6), the size reserved before it loads.
    expect(picture).to_have_attribute("width", "1200")
    expect(picture).to_have_attribute("height", "1800")
    expect(reader.locator(".featured-image figcaption")).to_contain_text("Photo: Ana Reyes")
    loaded = picture.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded
    assert "/media/images/" in picture.evaluate("img => img.currentSrc")
