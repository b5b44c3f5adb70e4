import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, ArticleAuthor, Author, Category
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Author.objects.count(),
        Category.objects.count(),
        Article.objects.count(),
        ArticleAuthor.objects.count(),
    )


def test_demo_content_can_be_loaded_twice_without_duplicates(capsys):
    call_command("load_demo_content")
    first = _counts()
    dates = dict(Article.objects.values_list("slug", "published_at"))
    modified = dict(Article.objects.values_list("slug", "updated_at"))

    call_command("load_demo_content")

    assert _counts() == first
    assert dict(Article.objects.values_list("slug", "published_at")) == dates
    assert dict(Article.objects.values_list("slug", "updated_at")) == modified


def test_demo_content_is_a_small_believable_newsroom():
    call_command("load_demo_content")

    assert 3 <= Author.objects.count() <= 4
    assert Category.objects.count() == 4
    assert 10 <= Article.objects.published().count() <= 14
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.drafts().count() == 1
    assert Article.objects.filter(bylines__position=1).exists()
    republished = Article.objects.published().exclude(original_outlet="").get()
    assert republished.original_url.startswith("https://example.org/")
    assert all(author.bio for author in Author.objects.all())


def test_demo_bodies_load_nothing_from_other_sites():
    call_command("load_demo_content")

    for body in Article.objects.values_list("body", flat=True):
        assert "<img" not in body
        assert "<h2>" in body or len(body) < 200


def test_demo_scheduled_and_draft_articles_are_invisible_to_readers(client):
    call_command("load_demo_content")

    front = client.get("/").content.decode()
    feed = client.get("/feed/").content.decode()
    for article in Article.objects.exclude(pk__in=Article.objects.published()):
        assert article.title not in front
        assert article.title not in feed


def test_demo_admin_is_created_with_a_random_password_saved_privately(tmp_path, capsys):
    password_file = tmp_path / "pw"

    call_command("ensure_demo_admin", password_file=password_file)

    password = password_file.read_text().strip()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 20
    assert stat.S_IMODE(os.stat(password_file).st_mode) == 0o600
    assert f"as admin / {password}" in capsys.readouterr().out


def test_demo_admin_is_never_created_twice_and_the_password_is_shown_again(tmp_path, capsys):
    password_file = tmp_path / "pw"
    call_command("ensure_demo_admin", password_file=password_file)
    password = password_file.read_text().strip()
    capsys.readouterr()

    call_command("ensure_demo_admin", password_file=password_file)

    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert f"as admin / {password}" in capsys.readouterr().out


def test_demo_admin_passwords_differ_between_fresh_sites(tmp_path, django_user_model):
    passwords = set()
    for attempt in range(2):
        django_user_model.objects.all().delete()
        password_file = tmp_path / f"pw{attempt}"
        call_command("ensure_demo_admin", password_file=password_file)
        passwords.add(password_file.read_text().strip())

    assert len(passwords) == 2


def test_existing_superuser_gets_no_demo_admin(tmp_path, capsys):
    UserFactory(username="editor-in-chief", is_superuser=True, is_staff=True)
    password_file = tmp_path / "pw"

    call_command("ensure_demo_admin", password_file=password_file)

    assert not get_user_model().objects.filter(username="admin").exists()
    assert not password_file.exists()
    assert "Log in at http://127.0.0.1:8000/admin/" in capsys.readouterr().out


def test_a_stale_saved_password_is_not_shown(tmp_path, capsys):
    password_file = tmp_path / "pw"
    call_command("ensure_demo_admin", password_file=password_file)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed by the owner")
    admin.save()
    capsys.readouterr()

    call_command("ensure_demo_admin", password_file=password_file)

    out = capsys.readouterr().out
    assert password_file.read_text().strip() not in out
    assert "with your superuser account" in out


def test_the_demo_admin_has_an_address_and_is_told_where_moderation_mail_goes(
    tmp_path, capsys, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    call_command("ensure_demo_admin", password_file=tmp_path / "pw")

    assert get_user_model().objects.get(username="admin").email == "admin@example.com"
    out = capsys.readouterr().out
    assert "Moderation emails go to" in out
    assert "admin@example.com" in out
    assert "on this console" in out


def test_a_demo_admin_made_without_an_address_gets_one(tmp_path):
    call_command("ensure_demo_admin", password_file=tmp_path / "pw")
    get_user_model().objects.filter(username="admin").update(email="")

    call_command("ensure_demo_admin", password_file=tmp_path / "pw")

    assert get_user_model().objects.get(username="admin").email == "admin@example.com"


def test_a_held_comment_is_mailed_to_the_demo_admin(
    tmp_path, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from comments.models import Comment
    from tests.factories import ArticleFactory

    settings.COMMENTS_MODERATOR_EMAILS = []
    call_command("ensure_demo_admin", password_file=tmp_path / "pw")

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(
            article=ArticleFactory(),
            author_name="Ana",
            author_email="ana@readers.example",
            body="Hi",
        )

    assert [message.to for message in mailoutbox] == [["admin@example.com"]]


def test_demo_content_features_its_own_illustrations_with_alt_text_caption_and_credit():
    from articles.management.commands.load_demo_content import PICTURE_CREDIT, PICTURES
    from articles.media import Image

    call_command("load_demo_content")

    pictured = Article.objects.published().filter(featured_image__isnull=False)
    assert {a.slug for a in pictured} == {p["article"] for p in PICTURES}
    for image in Image.objects.all():
        assert image.alt_text and image.caption and not image.decorative
        assert image.credit == PICTURE_CREDIT
        assert {r["format"] for r in image.renditions} == {"WEBP", "JPEG"}
        assert image.featured_in.exists()


def test_demo_illustrations_are_made_once(capsys):
    from articles.media import Image

    call_command("load_demo_content")
    first = {a.slug: a.featured_image_id for a in Article.objects.all()}
    files = sorted(name for image in Image.objects.all() for name in image.all_file_names())

    call_command("load_demo_content")

    assert {a.slug: a.featured_image_id for a in Article.objects.all()} == first
    assert sorted(n for i in Image.objects.all() for n in i.all_file_names()) == files
    assert "(0 new)." in capsys.readouterr().out.splitlines()[-1]


def test_demo_lead_story_shows_its_illustration_on_the_front_page(client):
    call_command("load_demo_content")
    lead = Article.objects.get(slug="harbour-wall-repairs-approved")

    front = client.get("/").content.decode()

    assert lead.featured_image.alt_text.replace("'", "&#x27;") in front
