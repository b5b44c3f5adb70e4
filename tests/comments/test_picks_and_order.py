"""Editors' picks, the Staff badge, and the order readers choose for the comments."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from comments.models import Comment, CommentStatusChange
from comments.threads import CommentThreads
from pagecache import middleware
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

COMMENT_IDS = re.compile(r'<li id="comment-(\d+)"')


def shown_ids(html):
    return [int(pk) for pk in COMMENT_IDS.findall(html)]


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response


def thread_of_three(article, start, name):
    """A top-level comment with two replies, each a minute apart from `start`."""
    top = CommentFactory(article=article, author_name=name, submitted_at=start)
    first = CommentFactory(article=article, parent=top, submitted_at=start + timedelta(minutes=1))
    second = CommentFactory(article=article, parent=top, submitted_at=start + timedelta(minutes=2))
    return [top, first, second]


@pytest.fixture
def article_with_threads():
    """Three threads, oldest first: A (with replies), B, C (with replies)."""
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=1)
    a = thread_of_three(article, start, "Ada")
    b = [
        CommentFactory(article=article, author_name="Ben", submitted_at=start + timedelta(hours=1))
    ]
    c = thread_of_three(article, start + timedelta(hours=2), "Cy")
    return article, a, b, c


def ids(*threads):
    return [comment.pk for thread in threads for comment in thread]


# --- feature / unfeature ---------------------------------------------------------------


def test_featuring_an_approved_comment_is_audited_and_in_the_admin_history():
    moderator = UserFactory(is_staff=True)
    comment = CommentFactory()

    assert comment.feature(by=moderator) is True

    comment.refresh_from_db()
    assert comment.is_featured and comment.featured_by == moderator
    audit = CommentStatusChange.objects.get(comment=comment)
    assert (audit.changed_by, audit.from_status, audit.to_status) == (
        moderator,
        Comment.Status.APPROVED,
        Comment.Status.APPROVED,
    )
    assert audit.note == "Featured as an editors' pick."
    assert LogEntry.objects.get(object_id=str(comment.pk)).change_message == audit.note


def test_unfeaturing_is_audited_and_clears_the_pick():
    moderator = UserFactory(is_staff=True)
    comment = CommentFactory()
    comment.feature(by=moderator)

    assert comment.unfeature(by=moderator) is True

    comment.refresh_from_db()
    assert comment.featured_at is None and comment.featured_by is None
    notes = list(CommentStatusChange.objects.filter(comment=comment).values_list("note", flat=True))
    assert notes == ["No longer an editors' pick.", "Featured as an editors' pick."]


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_only_approved_comments_can_be_featured(status):
    comment = CommentFactory(status=status)

    assert comment.feature(by=UserFactory(is_staff=True)) is False

    comment.refresh_from_db()
    assert comment.featured_at is None
    assert not CommentStatusChange.objects.filter(comment=comment).exists()


def test_featuring_twice_writes_one_audit_row():
    moderator = UserFactory(is_staff=True)
    comment = CommentFactory()
    comment.feature(by=moderator)

    assert comment.feature(by=moderator) is False
    assert CommentStatusChange.objects.filter(comment=comment).count() == 1


def test_featuring_many_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    moderator = UserFactory(is_staff=True)
    article = ArticleFactory()
    CommentFactory.create_batch(30, article=article)

    with django_assert_max_num_queries(8):
        assert Comment.objects.filter(article=article).feature(by=moderator) == 30
    assert CommentStatusChange.objects.filter(comment__article=article).count() == 30


# --- badges -------------------------------------------------------------------------------


def test_an_editors_pick_carries_its_badge(client):
    article = ArticleFactory()
    pick = CommentFactory(article=article)
    other = CommentFactory(article=article)
    pick.feature(by=UserFactory(is_staff=True))

    html = page(client, article).text

    pick_html = html[html.index(f'id="comment-{pick.pk}"') : html.index(f'id="comment-{other.pk}"')]
    assert "Editors’ pick</span>" in pick_html
    assert html.count("comment-badge-pick") == 1


def test_a_pick_no_longer_approved_shows_no_badge_to_its_author():
    comment = CommentFactory()
    comment.feature(by=UserFactory(is_staff=True))
    comment.restore()

    assert comment.is_featured and not comment.is_pick


def test_a_comment_posted_from_a_staff_account_carries_the_staff_badge(client, post_comment):
    article = ArticleFactory()
    staff = UserFactory(is_staff=True, first_name="Rita", last_name="Desk")
    reader = UserFactory(is_staff=False)
    author = Client()
    author.force_login(staff)
    posted = post_comment(article, client=author, comment="From the newsdesk: the date is fixed.")
    assert posted.status_code == 303
    plain = Client()
    plain.force_login(reader)
    posted = post_comment(
        article, client=plain, remote_addr="198.51.100.9", comment="Thanks for fixing it."
    )
    assert posted.status_code == 303
    for comment in Comment.objects.all():
        comment.approve()

    html = page(client, article).text

    staff_comment = Comment.objects.get(user=staff)
    reader_comment = Comment.objects.get(user=reader)
    assert staff_comment.by_staff and not reader_comment.by_staff
    assert html.count('class="comment-badge comment-badge-staff">Staff</span>') == 1
    badge = html.index("comment-badge-staff")
    assert html.index(f'id="comment-{staff_comment.pk}"') < badge
    assert badge < html.index(f'id="comment-{reader_comment.pk}"')


def test_a_reply_from_the_admins_reply_box_carries_the_staff_badge(client):
    moderator = UserFactory(is_staff=True)
    comment = CommentFactory()

    reply = comment.reply_as_staff("We have asked the council.", by=moderator)

    assert reply.by_staff
    html = page(client, comment.article).text
    assert html.count("comment-badge-staff") == 1
    assert html.index(f'id="comment-{reply.pk}"') < html.index("comment-badge-staff")


# --- order ---------------------------------------------------------------------------------


def test_comments_are_oldest_first_by_default(client, article_with_threads):
    article, a, b, c = article_with_threads

    assert shown_ids(page(client, article).text) == ids(a, b, c)


def test_newest_first_orders_threads_and_keeps_replies_in_thread_order(
    client, article_with_threads
):
    article, a, b, c = article_with_threads

    assert shown_ids(page(client, article, "?sort=newest").text) == ids(c, b, a)


def test_picks_first_lists_threads_with_a_pick_first(client, article_with_threads):
    article, a, b, c = article_with_threads
    moderator = UserFactory(is_staff=True)
    b[0].feature(by=moderator)
    c[2].feature(by=moderator)  # a reply: its thread comes first

    assert shown_ids(page(client, article, "?sort=featured").text) == ids(b, c, a)


@pytest.mark.parametrize("query", ["?sort=oldest", "?sort=random", "?sort=NEWEST", "?sort="])
def test_an_order_not_offered_or_written_out_shows_the_default(client, article_with_threads, query):
    article, a, b, c = article_with_threads

    assert shown_ids(page(client, article, query).text) == ids(a, b, c)


def test_the_order_control_marks_the_current_order_and_links_the_others(
    client, article_with_threads
):
    article, *_ = article_with_threads
    url = article.get_absolute_url()

    html = page(client, article, "?sort=newest").text

    assert '<nav class="comment-order" aria-label="Order of comments">' in html
    assert f'<a href="{url}?sort=newest#comments" aria-current="true">Newest</a>' in html
    assert f'<a href="{url}#comments" rel="nofollow">Oldest</a>' in html
    assert f'<a href="{url}?sort=featured#comments" rel="nofollow">Editors’ picks</a>' in html


def test_no_order_control_for_a_single_thread(client):
    comment = CommentFactory()

    assert "comment-order" not in page(client, comment.article).text


def test_pages_follow_the_order_and_their_links_keep_it(client, settings, article_with_threads):
    settings.COMMENTS_PER_PAGE = 2
    article, a, b, c = article_with_threads
    url = article.get_absolute_url()

    first = page(client, article, "?sort=newest").text
    second = page(client, article, "?sort=newest&cpage=2").text

    assert shown_ids(first) == ids(c, b)
    assert shown_ids(second) == ids(a)
    assert f'href="{url}?sort=newest&amp;cpage=2#comments">Newer comments' in first
    assert f'href="{url}?sort=newest#comments">← Older comments' in second
    assert f'href="{url}?sort=newest&amp;cpage=2&amp;replytocom={a[0].pk}#respond"' in second


def test_replying_keeps_the_order_and_its_page(client, settings, article_with_threads):
    settings.COMMENTS_PER_PAGE = 2
    article, a, b, c = article_with_threads
    url = article.get_absolute_url()

    html = page(client, article, f"?sort=newest&cpage=2&replytocom={a[0].pk}").text

    assert shown_ids(html) == ids(a)
    assert f'href="{url}?sort=newest&amp;cpage=2#comment-{a[0].pk}">Cancel reply' in html


def test_the_permalink_lands_on_the_page_of_the_default_order(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=1)
    comments = [
        CommentFactory(article=article, submitted_at=start + timedelta(hours=n)) for n in range(3)
    ]

    response = client.get(comments[2].get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{comments[2].pk}"
    html = page(client, article, "?cpage=2").text
    assert shown_ids(html) == [comments[2].pk]


def test_threads_are_indexed_in_the_order_shown(article_with_threads):
    article, a, b, c = article_with_threads

    threads = CommentThreads.for_article(article, order="newest", per_page=1)

    assert [threads.page_number_of(x[0].pk) for x in (c, b, a)] == [1, 2, 3]
    assert threads.page_number_of(a[2].pk) == 3


def test_the_article_page_costs_the_same_queries_in_every_order(
    client, article_with_threads, django_assert_num_queries
):
    from tests.articles.test_query_counts import ARTICLE_PAGE_QUERIES, COMMENT_TEXT_QUERIES

    article, a, b, c = article_with_threads
    b[0].feature(by=UserFactory(is_staff=True))
    for query in ("", "?sort=newest", "?sort=featured", "?sort=newest&cpage=2"):
        cache.clear()
        with django_assert_num_queries(ARTICLE_PAGE_QUERIES + COMMENT_TEXT_QUERIES):
            Client().get(article.get_absolute_url() + query)


# --- the page cache ------------------------------------------------------------------------


def cache_status(response):
    return response[middleware.STATUS_HEADER]


def test_each_order_is_cached_at_its_own_address(article_with_threads):
    article, a, b, c = article_with_threads
    url = article.get_absolute_url()

    for query in ("", "?sort=newest", "?sort=featured"):
        assert cache_status(Client().get(url + query)) == "miss"
    for query, expected in (("", ids(a, b, c)), ("?sort=newest", ids(c, b, a))):
        response = Client().get(url + query)
        assert cache_status(response) == "hit"
        assert shown_ids(response.text) == expected


@pytest.mark.parametrize("query", ["?sort=oldest", "?sort=random", "?sort=newest&sort=oldest"])
def test_the_default_written_out_or_an_order_not_offered_is_never_stored(
    article_with_threads, query
):
    article, *_ = article_with_threads
    url = article.get_absolute_url()

    assert cache_status(Client().get(url + query)) == "bypass"
    assert cache_status(Client().get(url + query)) == "bypass"
    # The default's own address was not filled by them.
    assert cache_status(Client().get(url)) == "miss"


def test_featuring_a_comment_reaches_cached_pages(article_with_threads):
    article, a, b, c = article_with_threads
    url = article.get_absolute_url()
    Client().get(url + "?sort=featured")

    c[0].feature(by=UserFactory(is_staff=True))

    response = Client().get(url + "?sort=featured")
    assert cache_status(response) == "miss"
    assert shown_ids(response.text) == ids(c, a, b)
    assert "comment-badge-pick" in response.text
