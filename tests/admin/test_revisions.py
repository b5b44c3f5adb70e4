"""Article revisions: every save kept with who and when, two compared, one restored."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from tests.admin.test_article_editor import article_form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare(article, old, new):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?old={old.pk}&new={new.pk}"


def save(client, article, **changes):
    when = timezone.localtime(article.published_at) if article.published_at else None
    fields = {
        "published_at_0": f"{when:%Y-%m-%d}" if when else "",
        "published_at_1": f"{when:%H:%M:%S}" if when else "",
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
    }
    data = article_form_data(**{**fields, **changes})
    response = client.post(change(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions(article):
    return list(
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("revision__date_created", "pk")
    )


@pytest.fixture
def draft():
    return ArticleFactory(
        title="Harbour wall repairs approved",
        standfirst="The council voted seven to two.",
        body="<p>The council met on Tuesday.</p><p>The vote was close.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
    )


def test_adding_an_article_keeps_its_first_revision_with_its_author(editor_client, editor):
    editor_client.post(reverse("admin:articles_article_add"), article_form_data())

    article = Article.objects.get(slug="tram-line-extended")
    [first] = versions(article)
    assert first.revision.user == editor
    assert first.field_dict["title"] == "Tram line extended to the harbour"


def test_every_save_is_a_revision_with_who_and_when(editor_client, editor, draft):
    save(editor_client, draft, title="Harbour wall repairs approved at last")
    save(editor_client, draft, title="Harbour wall repairs approved, work starts in May")

    kept = versions(draft)
    assert [v.field_dict["title"] for v in kept] == [
        "Harbour wall repairs approved at last",
        "Harbour wall repairs approved, work starts in May",
    ]
    assert {v.revision.user for v in kept} == {editor}
    assert kept[0].revision.date_created <= kept[1].revision.date_created


def test_publish_and_unpublish_actions_are_revisions_too(editor_client, editor, draft):
    articles = reverse("admin:articles_article_changelist")
    for action in ("publish", "unpublish"):
        editor_client.post(articles, {"action": action, ACTION_CHECKBOX_NAME: [draft.pk]})

    kept = versions(draft)
    assert [v.field_dict["status"] for v in kept] == ["published", "draft"]
    assert [v.revision.get_comment() for v in kept] == ["Published.", "Unpublished."]
    assert {v.revision.user for v in kept} == {editor}


def test_history_lists_the_revisions_newest_first_with_their_editor(editor_client, draft):
    save(editor_client, draft, title="First change")
    save(editor_client, draft, title="Second change")

    response = editor_client.get(history(draft))

    assert response.status_code == 200
    rows = response.context["revisions"]
    assert [row["version"].field_dict["title"] for row in rows] == ["Second change", "First change"]
    assert "Compare selected revisions" in response.text
    assert rows[1]["restore_url"] in response.text


def test_change_page_leads_to_the_revisions(editor_client, draft):
    assert history(draft) in editor_client.get(change(draft)).text


def test_compare_shows_what_changed_in_headline_standfirst_and_body(editor_client, draft):
    save(editor_client, draft)
    save(
        editor_client,
        draft,
        title="Harbour wall repairs approved, at last",
        body="<p>The council met on Tuesday.</p><p>The vote was very close.</p><p>New.</p>",
    )
    old, new = versions(draft)

    response = editor_client.get(compare(draft, old, new))

    assert response.status_code == 200
    text = response.text
    assert "Harbour wall repairs approved<ins>, at last</ins>" in text
    assert "The vote was <ins>very </ins>close." in text
    assert 'Standfirst <span class="diff-unchanged">(unchanged)</span>' in text
    assert "<ins>New.</ins>" in text


def test_compare_escapes_what_the_revisions_hold(editor_client, draft):
    save(editor_client, draft)
    save(editor_client, draft, title="<script>alert(1)</script> headline")
    old, new = versions(draft)

    text = editor_client.get(compare(draft, old, new)).text

    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_compare_refuses_revisions_of_another_article(editor_client, draft):
    other = ArticleFactory()
    save(editor_client, draft)
    save(editor_client, other)
    [mine], [theirs] = versions(draft), versions(other)

    assert editor_client.get(compare(draft, mine, theirs)).status_code == 404
    url = reverse("admin:articles_article_compare", args=[draft.pk])
    assert editor_client.get(url, {"old": "x", "new": mine.pk}).status_code == 404


def test_compare_asks_visitors_to_log_in(client, draft):
    url = reverse("admin:articles_article_compare", args=[draft.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_compare_is_refused_to_staff_who_may_not_see_articles(moderator_client, draft):
    url = reverse("admin:articles_article_compare", args=[draft.pk])

    assert moderator_client.get(url, {"old": 1, "new": 1}).status_code == 403


def test_restoring_a_revision_saves_it_as_a_new_one(editor_client, editor, draft):
    author = AuthorFactory(name="Mara Okafor")
    save(editor_client, draft)
    save(editor_client, draft, title="A worse headline", body="<p>Rewritten.</p>")
    first, _second = versions(draft)
    restore = reverse("admin:articles_article_revision", args=[draft.pk, first.pk])

    form = editor_client.get(restore)
    assert form.status_code == 200
    assert "Harbour wall repairs approved" in form.text
    draft.refresh_from_db()
    assert draft.title == "A worse headline"  # looking at a revision changes nothing

    response = editor_client.post(
        restore,
        article_form_data(
            title=first.field_dict["title"],
            slug=first.field_dict["slug"],
            standfirst=first.field_dict["standfirst"],
            body=first.field_dict["body"],
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": author.pk,
                "bylines-0-position": "0",
            },
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Harbour wall repairs approved"
    assert draft.body == "<p>The council met on Tuesday.</p><p>The vote was close.</p>"
    kept = versions(draft)
    assert len(kept) == 3
    assert kept[-1].revision.user == editor
    assert kept[-1].revision.get_comment().startswith("Reverted to previous version")
    assert LogEntry.objects.filter(object_id=str(draft.pk), user=editor).count() == 3


def test_restore_page_offers_no_save_draft_and_preview(editor_client, draft):
    save(editor_client, draft)
    [first] = versions(draft)
    restore = reverse("admin:articles_article_revision", args=[draft.pk, first.pk])

    assert "_savedraftpreview" not in editor_client.get(restore).text
