"""The order the importer creates comments in: parents a level before their replies."""

from wordpress.importer import reply_levels


def test_comments_answering_none_are_one_level_in_their_order():
    assert reply_levels({"b": None, "a": None}) == [["b", "a"]]


def test_replies_come_a_level_after_the_comment_they_answer():
    levels = reply_levels({"a": None, "c": "b", "b": "a", "d": "a"})

    assert levels == [["a"], ["b", "d"], ["c"]]


def test_reply_to_a_comment_not_among_them_is_on_the_first_level():
    assert reply_levels({"reply": "elsewhere", "other": None}) == [["reply", "other"]]


def test_a_loop_of_replies_is_broken_not_followed_forever():
    assert reply_levels({"a": "b", "b": "a"}) == [["b"], ["a"]]
    assert reply_levels({"self": "self"}) == [["self"]]


def test_a_reply_chain_deeper_than_the_recursion_limit_is_ordered():
    chain = {0: None} | {n: n - 1 for n in range(1, 5000)}

    assert reply_levels(dict(reversed(chain.items()))) == [[n] for n in range(5000)]
