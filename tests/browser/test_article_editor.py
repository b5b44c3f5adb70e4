"""An editor writes an article in the rich-text editor, in a real Chromium, under our
Content-Security-Policy: a heading, a list, a link and a figure, saved as a draft with one
click and found on the preview; no CSP violation on the way (open_page checks that)."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from articles.models import Article
from tests.admin.conftest import staff_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor_page(open_page):
    # The Editors group with the permissions its migration grants: a transactional test run
    # before this one may have flushed the database, groups included.
    roles = importlib.import_module("comments.migrations.0003_moderator_and_editor_groups")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in roles.EDITORS.items():
        for model, actions in models.items():
            editors.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=[roles.codename(action, model) for action in actions],
                )
            )
    staff_in("Editors", username="editor", password=PASSWORD)
    page = open_page("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("editor")
    return page


def toolbar(page, title):
    return page.locator(f'.prose-menubar__button[title="{title}"]')


def test_editor_writes_heading_list_link_and_figure_and_previews_them(editor_page):
    page = editor_page
    page.goto("/admin/articles/article/add/")
    body = page.locator(".prose-editor [contenteditable=true]")
    expect(body).to_be_visible()

    page.fill("#id_title", "Tram line reaches the harbour")
    body.click()
    # Markdown-like shortcuts of the editor: "## " a heading, "- " a bulleted list.
    page.keyboard.type("## What changes")
    page.keyboard.press("Enter")
    page.keyboard.type("- Trams every ten minutes")
    page.keyboard.press("Enter")
    page.keyboard.type("A stop at the ferry")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the council report")
    page.keyboard.press("Shift+Home")
    toolbar(page, "insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.locator("input[name=href]").fill("https://council.example/report")
    dialog.locator("button[type=submit]").click()
    expect(body.locator("a")).to_have_text("Read the council report")
    # Back in the text, at its end (after the link), for a new paragraph with the figure:
    # a click at the right end of the paragraph, well past its words.
    paragraph = body.locator("p:has(a)")
    box = paragraph.bounding_box()
    paragraph.click(position={"x": box["width"] - 4, "y": box["height"] / 2})
    # The editor reads the new caret from the browser's selection change: let it arrive
    # before Enter, which would otherwise replace the text still selected for the link.
    page.wait_for_function("() => getSelection().isCollapsed")
    page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    toolbar(page, "figure").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=imageUrl]").fill("/static/favicon.svg")
    dialog.locator("input[name=altText]").fill("The new tram stop")
    dialog.locator("input[name=caption]").fill("The stop by the ferry")
    dialog.locator("button[type=submit]").click()
    expect(body.locator("figure img")).to_have_attribute("alt", "The new tram stop")

    page.click("input[name=_savedraftpreview]")

    expect(page.locator(".preview-banner")).to_contain_text("Draft")
    article = page.locator(".article-body")
    expect(article.locator("h2")).to_have_text("What changes")
    expect(article.locator("ul li")).to_have_count(2)
    expect(article.locator("ul li").first).to_have_text("Trams every ten minutes")
    link = article.locator("a")
    expect(link).to_have_text("Read the council report")
    expect(link).to_have_attribute("href", "https://council.example/report")
    expect(article.locator("figure img")).to_have_attribute("alt", "The new tram stop")
    expect(article.locator("figure figcaption")).to_have_text("The stop by the ferry")
    stored = Article.objects.get()
    assert stored.status == Article.Status.DRAFT
    assert "<script" not in stored.body
