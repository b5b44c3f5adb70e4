"""Screen-reader users hear a field's error with the field, like everyone sees it."""

import pytest

from comments.forms import CommentForm
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

VALID = {"comment": "Hello", "name": "Maria Keller", "email": "maria@readers.example"}


def test_email_error_is_described_with_the_privacy_note():
    form = CommentForm(ArticleFactory(), data={**VALID, "email": "maria@readers"})

    assert not form.is_valid()
    assert 'aria-describedby="email-notes id_email_error"' in str(form["email"])


def test_valid_email_is_described_by_the_privacy_note_alone():
    form = CommentForm(ArticleFactory(), data={**VALID, "name": ""})

    assert not form.is_valid()
    assert 'aria-describedby="email-notes"' in str(form["email"])
