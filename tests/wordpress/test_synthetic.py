import pytest

from articles.models import Article
from comments.models import Comment
from wordpress.synthetic import write_synthetic_wxr

pytestmark = pytest.mark.django_db


def test_synthetic_export_imports_every_post_and_comment(tmp_path, import_wxr):
    path = tmp_path / "synthetic.xml"
    write_synthetic_wxr(path, posts=3, comments_per_post=40)

    import_wxr(path)

    assert Article.objects.published().count() == 3
    assert Comment.objects.count() == 120
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.approved().count() < 120
