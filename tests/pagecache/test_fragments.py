"""shared(key, render) and shared_many(keys, render): one rendering per content
generation, shared, never stale."""

import pytest

from pagecache import fragments, generation
from pagecache.fragments import shared, shared_many


class Renderer:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"rendering {self.calls}"


def test_a_fragment_is_rendered_once_and_then_shared():
    render = Renderer()

    first = shared("test:fragment", render)
    second = shared("test:fragment", render)

    assert first == second == "rendering 1"
    assert render.calls == 1


@pytest.mark.django_db  # a change is taken again when its transaction commits
def test_a_change_to_the_content_renders_it_afresh():
    render = Renderer()
    shared("test:fragment", render)

    generation.content_changed()

    assert shared("test:fragment", render) == "rendering 2"


def test_fragments_under_other_keys_are_rendered_separately():
    render = Renderer()

    assert shared("test:one", render) != shared("test:two", render)


@pytest.mark.django_db
def test_changes_inside_a_deferred_block_take_one_generation_at_its_end():
    render = Renderer()
    shared("test:fragment", render)
    with generation.changes_deferred():
        generation.content_changed()
        generation.content_changed()
        assert shared("test:fragment", render) == "rendering 1"

    assert shared("test:fragment", render) == "rendering 2"


@pytest.mark.django_db
def test_callbacks_asked_for_inside_a_deferred_block_run_once_after_it_commits(
    django_capture_on_commit_callbacks,
):
    calls = []

    def remember():
        calls.append("ran")

    with django_capture_on_commit_callbacks(execute=True), generation.changes_deferred():
        generation.after_changes(remember)
        generation.after_changes(remember)
        assert calls == []

    assert calls == ["ran"]


def test_callbacks_run_at_once_outside_a_deferred_block():
    calls = []
    generation.after_changes(lambda: calls.append("ran"))
    assert calls == ["ran"]


class ManyRenderer:
    def __init__(self):
        self.asked = []

    def __call__(self, missing):
        self.asked.append(list(missing))
        return {key: f"{key} rendered {len(self.asked)}" for key in missing}


def test_many_fragments_are_rendered_together_once_and_then_shared():
    render = ManyRenderer()

    first = shared_many(["test:a", "test:b"], render)
    second = shared_many(["test:a", "test:b"], render)

    assert first == second == {"test:a": "test:a rendered 1", "test:b": "test:b rendered 1"}
    assert render.asked == [["test:a", "test:b"]]


def test_only_the_fragments_not_stored_yet_are_rendered_in_the_order_asked():
    render = ManyRenderer()
    shared_many(["test:b"], render)

    values = shared_many(["test:c", "test:b", "test:a"], render)

    assert render.asked == [["test:b"], ["test:c", "test:a"]]
    assert list(values) == ["test:c", "test:b", "test:a"]
    assert values["test:b"] == "test:b rendered 1"


def test_many_fragments_are_found_in_the_cache_by_another_process(monkeypatch):
    render = ManyRenderer()
    shared_many(["test:a", "test:b"], render)
    # Another process has no copies of its own: it reads them from the shared cache.
    monkeypatch.setattr(fragments, "_local_small_copies", fragments._LocalCopies(size=10))

    assert shared_many(["test:a", "test:b"], render)["test:b"] == "test:b rendered 1"
    assert len(render.asked) == 1


@pytest.mark.django_db
def test_a_change_to_the_content_renders_many_fragments_afresh():
    render = ManyRenderer()
    shared_many(["test:a"], render)

    generation.content_changed()

    assert shared_many(["test:a"], render) == {"test:a": "test:a rendered 2"}


def test_many_fragments_are_rendered_each_time_while_the_cache_keeps_nothing(monkeypatch):
    render = ManyRenderer()
    # What current_generation() answers while the cache (Redis) is down.
    monkeypatch.setattr(fragments, "current_generation", lambda: None)

    shared_many(["test:a", "test:b"], render)
    values = shared_many(["test:a", "test:b"], render)

    assert values == {"test:a": "test:a rendered 2", "test:b": "test:b rendered 2"}
    assert render.asked == [["test:a", "test:b"], ["test:a", "test:b"]]
