from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from bench.synthetic import write_synthetic_wxr
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_synthetic_export_imports_every_post_and_comment(tmp_path):
    path = tmp_path / "synthetic.xml"
    write_synthetic_wxr(path, posts=3, comments_per_post=40)

    call_command("import_wxr", str(path), stdout=StringIO())

    assert Article.objects.published().count() == 3
    assert Comment.objects.count() == 120
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.approved().count() < 120
