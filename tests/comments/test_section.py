"""What readers see in the comments area of an article page."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.rendering import render_comment_body
from comments.templatetags.comments_tags import comment_section as comment_section_tag
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def comment_section(request, article):
    """What {% comment_section article %} puts in its template's context for `request`."""
    return comment_section_tag({"request": request}, article)


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_approved_comment_is_shown_with_its_author_and_text(client):
    article = ArticleFactory()
    comment = CommentFactory(article=article, author_name="Tomás Reyes", body="Long overdue.")

    html = page(client, article)

    assert f'id="comment-{comment.pk}"' in html
    assert "Tomás Reyes" in html
    assert "<p>Long overdue.</p>" in html


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_comment_that_is_not_approved_is_not_shown_to_readers(client, status):
    article = ArticleFactory()
    comment = CommentFactory(article=article, status=status, body="Hidden words here.")

    html = page(client, article)

    assert f'id="comment-{comment.pk}"' not in html
    assert "Hidden words here." not in html


def test_no_heading_when_there_are_no_approved_comments(client):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article, status=Comment.Status.PENDING)

    html = page(client, article)

    assert "thought" not in html
    assert 'id="comments-title"' not in html


def test_heading_says_one_thought_for_a_single_comment(client):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article)

    assert "One thought on “Bridge reopens”" in page(client, article)


def test_heading_counts_approved_comments_only(client):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory.create_batch(3, article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)

    assert "3 thoughts on “Bridge reopens”" in page(client, article)


def test_comments_are_listed_in_date_order(client):
    article = ArticleFactory()
    now = timezone.now()
    later = CommentFactory(article=article, body="Second said.", submitted_at=now)
    earlier = CommentFactory(
        article=article, body="First said.", submitted_at=now - timedelta(hours=1)
    )

    html = page(client, article)

    assert html.index(f"comment-{earlier.pk}") < html.index(f"comment-{later.pk}")


def test_author_with_a_website_is_linked_as_external_nofollow_ugc(client):
    article = ArticleFactory()
    CommentFactory(article=article, author_name="Priya", author_url="https://priya.example/")

    html = page(client, article)

    assert '<a href="https://priya.example/" rel="external nofollow ugc">Priya</a>' in html


def test_author_website_with_an_unsafe_scheme_is_not_linked(client):
    article = ArticleFactory()
    CommentFactory(article=article, author_name="Imported", author_url="javascript:alert(1)")

    html = page(client, article)

    assert "javascript:" not in html
    assert "Imported" in html


def test_avatar_shows_initials_made_locally(client):
    article = ArticleFactory()
    CommentFactory(article=article, author_name="Ada Lovelace")

    html = page(client, article)

    assert ">AL</span>" in html
    assert "gravatar" not in html.lower()


def test_each_comment_has_a_permalink_to_its_anchor(client):
    article = ArticleFactory()
    comment = CommentFactory(article=article)

    assert f'class="comment-permalink" href="#comment-{comment.pk}"' in page(client, article)


def test_replies_are_nested_under_the_comment_they_answer(client):
    article = ArticleFactory()
    parent = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=parent)

    html = page(client, article)

    parent_at = html.index(f'id="comment-{parent.pk}"')
    children_at = html.index('<ol class="children">', parent_at)
    assert children_at < html.index(f'id="comment-{reply.pk}"')
    assert f'id="comment-{reply.pk}" class="comment depth-2' in html


def _chain(article, length):
    comments = [CommentFactory(article=article)]
    for _ in range(length - 1):
        comments.append(CommentFactory(article=article, parent=comments[-1]))
    return comments


def test_replies_nest_to_the_configured_depth_and_no_deeper(client, settings):
    settings.COMMENTS_THREAD_DEPTH = 3
    article = ArticleFactory()
    chain = _chain(article, 5)

    html = page(client, article)

    assert f'id="comment-{chain[2].pk}" class="comment depth-3' in html
    # Deeper replies are shown at the deepest level, as WordPress does.
    assert f'id="comment-{chain[3].pk}" class="comment depth-3' in html
    assert f'id="comment-{chain[4].pk}" class="comment depth-3' in html


def test_reply_link_is_offered_below_the_maximum_depth_only(client, settings):
    settings.COMMENTS_THREAD_DEPTH = 3
    article = ArticleFactory()
    chain = _chain(article, 3)

    html = page(client, article)

    assert f"replytocom={chain[1].pk}#respond" in html
    assert f"replytocom={chain[2].pk}#respond" not in html


def test_default_thread_depth_is_five_as_wordpress(client):
    article = ArticleFactory()
    chain = _chain(article, 6)

    html = page(client, article)

    assert f'id="comment-{chain[4].pk}" class="comment depth-5' in html
    assert f"replytocom={chain[3].pk}#respond" in html
    assert f"replytocom={chain[4].pk}#respond" not in html


def test_reply_link_turns_the_form_into_a_reply_with_a_cancel_link(client):
    article = ArticleFactory()
    comment = CommentFactory(article=article, author_name="Joan Didion")

    html = page(client, article, f"?replytocom={comment.pk}")

    assert ">Reply to Joan Didion</h2>" in html
    assert "Cancel reply" in html
    assert f'name="parent" value="{comment.pk}"' in html


def test_form_is_a_plain_leave_a_reply_without_replytocom(client):
    article = ArticleFactory()
    CommentFactory(article=article)

    html = page(client, article)

    assert "Leave a Reply" in html
    assert 'comment-reply-title">Reply to' not in html
    assert "Cancel reply" not in html


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_replytocom_for_an_unpublished_comment_is_ignored(client, status):
    article = ArticleFactory()
    hidden = CommentFactory(article=article, status=status, author_name="Hidden Person")

    html = page(client, article, f"?replytocom={hidden.pk}")

    assert 'comment-reply-title">Reply to' not in html
    assert "Hidden Person" not in html


def test_replytocom_for_a_comment_on_another_article_is_ignored(client):
    article = ArticleFactory()
    elsewhere = CommentFactory(author_name="Elsewhere Person")

    html = page(client, article, f"?replytocom={elsewhere.pk}")

    assert 'comment-reply-title">Reply to' not in html


def test_leave_a_reply_form_has_the_wordpress_fields_and_notes(client):
    html = page(client, ArticleFactory())

    assert 'id="respond"' in html
    for label in ("Comment", "Name", "Email", "Website"):
        assert label in html
    assert 'for="id_name"' in html and 'for="id_email"' in html and 'for="id_url"' in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    assert "Save my name, email, and website in this browser for the next time I comment." in html
    assert 'value="Post Comment"' in html
    # Anonymous comments are checked by Origin, not a token: the form is the same for all.
    assert "csrfmiddlewaretoken" not in html


def test_logged_in_reader_sees_logged_in_as_instead_of_name_and_email(client):
    user = UserFactory(first_name="Grace", last_name="Hopper")
    client.force_login(user)

    html = page(client, ArticleFactory())

    assert "Logged in as Grace Hopper." in html
    assert 'name="name"' not in html
    assert 'name="email"' not in html


def test_comments_closed_on_the_article_shows_no_form(client):
    article = ArticleFactory(comments_open=False)
    CommentFactory(article=article, body="Said before closing.")

    html = page(client, article)

    assert "Comments are closed." in html
    assert 'id="commentform"' not in html
    assert "Said before closing." in html
    assert "replytocom" not in html


def test_comments_close_automatically_after_the_configured_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=15))
    recent = ArticleFactory(published_at=timezone.now() - timedelta(days=13))

    assert "Comments are closed." in page(client, old)
    assert 'id="commentform"' in page(client, recent)


def test_article_page_links_its_comments_feed(client):
    article = ArticleFactory()

    html = page(client, article)

    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Comments on “{article.title}”" '
        f'href="/comments/feed/{article.pk}/">'
    ) in html


# Pagination: pages hold top-level threads.


def test_comments_are_paginated_by_top_level_thread(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = ArticleFactory()
    first, second, third = CommentFactory.create_batch(3, article=article)
    reply = CommentFactory(article=article, parent=second)

    page_one = page(client, article)
    page_two = page(client, article, "?cpage=2")

    assert f'id="comment-{first.pk}"' in page_one
    assert f'id="comment-{second.pk}"' in page_one
    assert f'id="comment-{reply.pk}"' in page_one
    assert f'id="comment-{third.pk}"' not in page_one
    assert f'id="comment-{third.pk}"' in page_two
    assert f'id="comment-{first.pk}"' not in page_two


def test_comment_pages_link_to_older_and_newer_comments(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    url = article.get_absolute_url()

    html = page(client, article, "?cpage=2")

    assert f'href="{url}#comments">← Older comments' in html
    assert f'href="{url}?cpage=3#comments">Newer comments →' in html


def test_heading_counts_every_approved_comment_not_just_this_page(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory.create_batch(3, article=article)

    assert "3 thoughts on “Bridge reopens”" in page(client, article, "?cpage=2")


def test_malformed_or_too_large_comment_page_still_shows_the_article(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)

    assert "Page 1 of 2" in page(client, article, "?cpage=abc")
    assert "Page 2 of 2" in page(client, article, "?cpage=99")


def test_reply_links_on_a_later_page_keep_that_page(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    _, second = CommentFactory.create_batch(2, article=article)

    html = page(client, article, "?cpage=2")

    assert f'href="{article.get_absolute_url()}?cpage=2&amp;replytocom={second.pk}#respond"' in html


def _position(html, marker):
    assert html.count(marker) == 1, marker
    return html.index(marker)


def test_reply_form_is_right_under_the_comment_it_answers(client):
    article = ArticleFactory()
    first, answered, last = CommentFactory.create_batch(3, article=article)
    reply = CommentFactory(article=article, parent=answered)

    html = page(client, article, f"?replytocom={answered.pk}")

    form = _position(html, 'id="respond"')
    assert _position(html, f'id="comment-{answered.pk}"') < form
    # Before the replies already there and the next thread, and nowhere else.
    assert form < _position(html, f'id="comment-{reply.pk}"')
    assert form < _position(html, f'id="comment-{last.pk}"')
    assert _position(html, 'id="commentform"') > form


def test_reply_form_names_the_author_and_quotes_what_is_answered(client):
    article = ArticleFactory()
    words = " ".join(f"word{n}" for n in range(40))
    comment = CommentFactory(
        article=article, author_name="Ana Costa", body=f"Ferries & <b>buses</b>.\n\n{words}"
    )

    html = page(client, article, f"?replytocom={comment.pk}")

    assert '<h2 id="reply-title" class="comment-reply-title">Reply to Ana Costa</h2>' in html
    excerpt = re.search(r'<blockquote class="comment-reply-excerpt"><p>(.*?)</p>', html).group(1)
    assert excerpt.startswith("Ferries &amp; buses. word0 word1")
    assert excerpt.endswith("word26…")


def test_cancel_reply_leads_back_to_the_comment_on_its_page(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    _, second = CommentFactory.create_batch(2, article=article)

    html = page(client, article, f"?cpage=2&replytocom={second.pk}")

    url = article.get_absolute_url()
    assert f'href="{url}?cpage=2#comment-{second.pk}">Cancel reply' in html


def test_reply_sent_back_with_errors_is_shown_under_its_comment_on_its_page(post_comment, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    _, second = CommentFactory.create_batch(2, article=article, author_name="Ana Costa")

    html = post_comment(article, parent=second.pk, email="not-an-email").content.decode()

    assert "Page 2 of 2" in html
    assert _position(html, f'id="comment-{second.pk}"') < _position(html, 'id="respond"')
    assert ">Reply to Ana Costa</h2>" in html


# Query counts: the same with 2 comments or 2,000.


def _bulk_comments(article, count):
    now = timezone.now()
    body_html = render_comment_body("Agreed with the council here.")
    roots = Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@readers.example",
            body="Agreed with the council here.",
            body_html=body_html,
            status=Comment.Status.APPROVED,
            submitted_at=now - timedelta(minutes=count - n),
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=root,
            author_name=f"Replier {n}",
            author_email=f"replier{n}@readers.example",
            body="Not so sure.",
            body_html=render_comment_body("Not so sure."),
            status=Comment.Status.APPROVED,
            submitted_at=root.submitted_at + timedelta(seconds=30),
        )
        for n, root in enumerate(roots)
    )


def _queries_for_article_page(client, article):
    # Nothing shared between pages (comment lists, section navigation) is kept from
    # before: each page is counted as its first reader after a change finds it.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_article_page_runs_the_same_queries_with_2_or_2000_comments(client):
    few = ArticleFactory()
    many = ArticleFactory()
    _bulk_comments(few, 2)
    _bulk_comments(many, 2000)

    assert _queries_for_article_page(client, few) == _queries_for_article_page(client, many)


def test_comments_section_costs_two_queries_for_2000_comments(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    article = ArticleFactory()
    _bulk_comments(article, 2000)
    request = rf.get(article.get_absolute_url())
    request.user = AnonymousUser()

    # Where this reader's comments are, then what the page's own comments say.
    with django_assert_num_queries(2):
        context = comment_section(request, article)

    assert context["comment_count"] == 2000
    assert context["comment_list"].count('class="comment depth-1') == 50


def test_only_the_shown_pages_comments_are_read_in_full(rf):
    """A long thread's page reads every comment's place, but the names and text of its
    own comments alone: a thread of 20,000 took 0.9 s a page when all were read."""
    from django.contrib.auth.models import AnonymousUser

    article = ArticleFactory()
    _bulk_comments(article, 400)  # 200 threads of two: four pages of 50 threads
    request = rf.get(article.get_absolute_url() + "?cpage=2")
    request.user = AnonymousUser()

    with CaptureQueriesContext(connection) as queries:
        context = comment_section(request, article)

    reading_text = [q["sql"] for q in queries.captured_queries if "body_html" in q["sql"]]
    assert len(reading_text) == 1
    shown = re.findall(r'<li id="comment-(\d+)"', context["comment_list"])
    assert len(shown) == 100
    # The one query reading text names the hundred comments shown, and no others.
    named = set(re.findall(r"\d+", reading_text[0].split(" IN ")[1]))
    assert named == set(shown)
    assert "author_email" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_a_comment_deleted_while_a_page_is_built_is_left_out_with_its_replies():
    from comments.threads import PLACE_FIELDS, CommentThreads

    article = ArticleFactory()
    first = CommentFactory(article=article, status=Comment.Status.APPROVED, body="First.")
    gone = CommentFactory(article=article, status=Comment.Status.APPROVED, body="Gone.")
    reply = CommentFactory(
        article=article, parent=gone, status=Comment.Status.APPROVED, body="A reply to it."
    )
    threads = CommentThreads(Comment.objects.filter(article=article).values(*PLACE_FIELDS))
    Comment.objects.filter(pk=gone.pk).delete()

    page = threads.page(1).object_list
    shown = [node.row["id"] for root in page for node in root.in_reading_order()]

    # The reply is left out too, whether it went with it or stayed without its parent.
    assert shown == [first.pk]
    assert reply.pk not in shown


def test_comments_section_costs_two_queries_for_a_reader_with_pending_comments(
    rf, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    from comments.cookies import PENDING_COOKIE, PENDING_SALT

    article = ArticleFactory()
    _bulk_comments(article, 200)
    own = CommentFactory(article=article, status=Comment.Status.PENDING, body="Mine, pending.")
    # Their comment is the newest thread: on the last page.
    request = rf.get(article.get_absolute_url() + "?cpage=999")
    request.user = AnonymousUser()
    request.COOKIES[PENDING_COOKIE] = signing.dumps([own.pk], salt=PENDING_SALT)

    # Where this reader's comments are, then what the page's own comments say.
    with django_assert_num_queries(2):
        context = comment_section(request, article)

    assert context["comment_count"] == 200
    assert f'<li id="comment-{own.pk}"' in context["comment_list"]


def test_own_reply_awaiting_moderation_comes_right_under_what_it_answers(rf):
    from django.contrib.auth.models import AnonymousUser

    from comments.cookies import PENDING_COOKIE, PENDING_SALT

    article = ArticleFactory()
    answered = CommentFactory(article=article, body="The question.")
    CommentFactory.create_batch(3, article=article, parent=answered, body="An earlier reply.")
    own = CommentFactory(
        article=article, parent=answered, status=Comment.Status.PENDING, body="My new reply."
    )
    request = rf.get(article.get_absolute_url())
    request.user = AnonymousUser()
    request.COOKIES[PENDING_COOKIE] = signing.dumps([own.pk], salt=PENDING_SALT)

    page = comment_section(request, article)["comment_list"]

    assert (
        page.index("The question.") < page.index("My new reply.") < page.index("An earlier reply.")
    )
