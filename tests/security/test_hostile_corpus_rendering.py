"""The hostile corpus, through the renderer alone: the quick check before the browser one."""

import pytest

from comments.rendering import render_comment_body
from tests.hostile_input import BODIES

from .markup import unsafe_markup


@pytest.mark.parametrize("body", BODIES)
def test_hostile_body_renders_to_allowed_markup_only(body):
    assert unsafe_markup(render_comment_body(body)) == []
