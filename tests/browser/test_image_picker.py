"""An editor uploads an image to the library, places it in a new article through the
editor's image dialog and the library's picker, publishes, and readers find it in
renditions with srcset and alt text; no CSP violation on the way (open_page checks)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.images import image_bytes

from .test_article_editor import editor_page, toolbar  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALT = "Ferry leaving the harbour at dusk"


def test_editor_places_a_library_image_with_the_picker_and_readers_see_renditions(
    editor_page,  # noqa: F811
    tmp_path,
):
    page = editor_page
    # The library's permissions, granted to Editors by a later migration than the one the
    # fixture rebuilds the group from (an earlier transactional test may have flushed it).
    Group.objects.get(name="Editors").permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", content_type__model="image")
    )
    photo = tmp_path / "ferry.jpg"
    photo.write_bytes(image_bytes("JPEG", (1800, 1200)))

    # Upload, through the file chooser.
    page.goto("/admin/articles/image/add/")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Image file").click()
    chooser.value.set_files(str(photo))
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_label("Caption").fill("The last ferry of the day")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    image = Image.objects.get()

    # A new article; the figure dialog's "Browse..." opens the picker in a window.
    page.goto("/admin/articles/article/add/")
    body = page.locator(".prose-editor [contenteditable=true]")
    expect(body).to_be_visible()
    page.fill("#id_title", "Last ferry sails early")
    body.click()
    page.keyboard.type("The timetable changes on Monday.")
    page.keyboard.press("Enter")
    toolbar(page, "figure").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    expect(picker.locator(".image-picker-choice")).to_have_count(1)
    picker.get_by_label("Search the library").fill("dusk")
    picker.get_by_role("button", name="Search").click()
    with picker.expect_event("close"):
        picker.get_by_role("button", name=re.compile("ferry")).click()
    expect(dialog.locator("input[name=imageUrl]")).to_have_value(image.src)
    expect(dialog.locator("input[name=altText]")).to_have_value(ALT)
    expect(dialog.locator("input[name=caption]")).to_have_value("The last ferry of the day")
    dialog.locator("button[type=submit]").click()
    expect(body.locator("figure img")).to_have_attribute("alt", ALT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # Publish.
    row = page.locator("#result_list tbody tr", has_text="Last ferry sails early")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish selected articles")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 article published")

    article = Article.objects.get()
    page.goto(article.get_absolute_url())
    figure = page.locator(".article-body figure")
    img = figure.locator("img")
    expect(img).to_have_attribute("alt", ALT)
    expect(img).to_have_attribute("srcset", re.compile(r"/media/images/.+ 480w, .+ 800w"))
    expect(img).to_have_attribute("sizes", re.compile(r"\S"))
    expect(img).to_have_attribute("width", "1800")
    expect(img).to_have_attribute("height", "1200")
    expect(img).to_have_attribute("loading", "lazy")
    expect(figure.locator("figcaption")).to_have_text("The last ferry of the day")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    # Served from a rendition, not the original upload.
    current = img.evaluate("img => img.currentSrc")
    assert re.search(r"/media/images/.+/v\d+-\d+w\.", current), current
