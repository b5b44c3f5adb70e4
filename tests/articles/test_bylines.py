import pytest

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "names, byline",
    [
        (["Ann Ash"], "Ann Ash"),
        (["Ann Ash", "Ben Birch"], "Ann Ash and Ben Birch"),
        (["Ann Ash", "Ben Birch", "Cy Cedar"], "Ann Ash, Ben Birch and Cy Cedar"),
    ],
)
def test_byline_names_the_authors_as_readers_say_them(names, byline):
    article = ArticleFactory(authors=[AuthorFactory(name=name) for name in names])

    assert article.byline == byline


def test_byline_keeps_the_byline_order_not_the_alphabet():
    article = ArticleFactory(authors=[AuthorFactory(name="Zoe Yew"), AuthorFactory(name="Al Oak")])

    assert article.byline == "Zoe Yew and Al Oak"


def test_article_without_authors_has_an_empty_byline():
    article = ArticleFactory(authors=[])
    article.bylines.all().delete()

    assert (article.byline, article.byline_parts) == ("", [])


def test_byline_parts_put_the_joints_before_the_names():
    ann, ben, cy = (AuthorFactory(name=name) for name in ("Ann Ash", "Ben Birch", "Cy Cedar"))
    article = ArticleFactory(authors=[ann, ben, cy])

    assert article.byline_parts == [("", ann), (", ", ben), (" and ", cy)]


def test_byline_of_prefetched_articles_costs_no_query(django_assert_num_queries):
    ArticleFactory.create_batch(3, authors=[AuthorFactory(), AuthorFactory()])
    articles = list(Article.objects.with_bylines())

    with django_assert_num_queries(0):
        assert all(" and " in article.byline for article in articles)
