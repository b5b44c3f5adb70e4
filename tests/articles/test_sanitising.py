import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_hostile_markup_in_an_editors_body_never_reaches_the_page(client):
    article = ArticleFactory(
        body=(
            "<p>Council met.</p>"
            "<script>alert('body')</script>"
            '<img src="https://example.org/x.png" onerror="alert(1)" alt="x">'
            '<a href="javascript:alert(2)">click</a>'
            '<p onclick="alert(3)" style="color:red">Styled</p>'
        )
    )

    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('<div class="article-body">') : page.index("</article>")]

    assert "<p>Council met.</p>" in body
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert "onclick" not in body
    assert "style=" not in body


def test_html_in_a_headline_is_shown_as_text(client):
    article = ArticleFactory(title="<b>Bold</b> claims", standfirst="<i>x</i>")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page
