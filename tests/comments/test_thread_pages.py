"""How an article's threads are cut into comments pages: COMMENTS_PER_PAGE threads, fewer
when they are long (COMMENTS_PAGE_MAX_COMMENTS), a thread never split."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.threads import CommentThreads
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _rows(thread_sizes):
    """Place rows for threads of these sizes (a top comment and its direct replies), oldest
    thread first; the top comments' ids, in order."""
    start = timezone.now() - timedelta(days=1)
    rows, tops, pk = [], [], 0
    for size in thread_sizes:
        pk += 1
        top = pk
        tops.append(top)
        for n in range(size):
            rows.append(
                {
                    "id": pk,
                    "parent_id": None if n == 0 else top,
                    "status": Comment.Status.APPROVED,
                    "submitted_at": start + timedelta(seconds=pk),
                    "featured_at": None,
                }
            )
            pk += 1
        pk -= 1
    return rows, tops


def test_short_threads_fill_a_page_up_to_the_thread_count():
    rows, tops = _rows([2] * 7)
    threads = CommentThreads(rows, per_page=3, max_comments=100)

    assert _tops_by_page_places(threads) == [tops[0:3], tops[3:6], tops[6:7]]


def test_long_threads_make_a_page_of_fewer_threads():
    rows, tops = _rows([4, 4, 1, 1, 4, 4])
    threads = CommentThreads(rows, per_page=5, max_comments=8)

    # 4 + 4 fill the first page; 1 + 1 + 4 the second, which another 4 would overfill.
    assert _tops_by_page_places(threads) == [tops[0:2], tops[2:5], tops[5:6]]
    # Every comment's page is the page that shows it.
    for page_number, page_tops in enumerate(_tops_by_page_places(threads), start=1):
        for top in page_tops:
            assert threads.page_number_of(top) == page_number
            assert threads.page_number_of(top + 1) == page_number  # its first reply


def test_a_thread_longer_than_a_page_is_a_page_of_its_own():
    rows, tops = _rows([1, 30, 1])
    threads = CommentThreads(rows, per_page=50, max_comments=10)

    assert _tops_by_page_places(threads) == [[tops[0]], [tops[1]], [tops[2]]]
    assert threads.page_number_of(tops[1] + 29) == 2


def _tops_by_page_places(threads):
    """The top comments of each page, without reading any comment's text."""
    from comments.threads import _ThreadPages

    paginator = _ThreadPages(threads.threads, threads._page_starts)
    return [
        [root.row["id"] for root in paginator.page(number).object_list]
        for number in paginator.page_range
    ]


def test_an_article_page_shows_fewer_long_threads_and_links_to_the_rest(client, settings):
    settings.COMMENTS_PER_PAGE = 50
    settings.COMMENTS_PAGE_MAX_COMMENTS = 6
    article = ArticleFactory()
    start = timezone.now() - timedelta(hours=5)
    tops = []
    for n in range(3):
        top = Comment.objects.create(
            article=article,
            author_name=f"Starter {n}",
            author_email=f"starter{n}@readers.example",
            body=f"Thread number {n}.",
            status=Comment.Status.APPROVED,
            submitted_at=start + timedelta(minutes=n),
        )
        tops.append(top)
        for r in range(3):
            Comment.objects.create(
                article=article,
                parent=top,
                author_name=f"Replier {n}-{r}",
                author_email=f"replier{n}{r}@readers.example",
                body=f"Reply {r} in thread {n}.",
                status=Comment.Status.APPROVED,
                submitted_at=start + timedelta(minutes=10 + n * 3 + r),
            )

    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(article.get_absolute_url() + "?cpage=2").content.decode()

    assert "12 thoughts on" in first
    assert "Thread number 0." in first and "Reply 2 in thread 0." in first
    assert "Thread number 1." not in first  # 4 + 4 would pass 6
    assert "Thread number 1." in second and "Reply 2 in thread 1." in second
    assert "?cpage=2#comments" in first
    # A reply's permalink leads to the page that shows it.
    reply = Comment.objects.get(body="Reply 1 in thread 2.")
    answer = client.get(reply.get_absolute_url())
    assert answer.status_code in (301, 302)
    assert answer["Location"].endswith(f"?cpage=3#comment-{reply.pk}")
