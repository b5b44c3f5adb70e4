"""read_wxr streams (issue 22): a 1,000,000-comment export is read in bounded memory,
each record dropped from the parsed tree once it is yielded."""

import tracemalloc

from bench.synthetic import write_synthetic_wxr
from wordpress.wxr import WxrItem, read_wxr


def _peak_bytes_of_reading(path):
    """Peak traced memory while reading every record of `path` (none kept), and how many
    comments were read."""
    comments = 0
    tracemalloc.start()
    try:
        for record in read_wxr(path):
            if isinstance(record, WxrItem):
                comments += len(record.comments)
        return tracemalloc.get_traced_memory()[1], comments
    finally:
        tracemalloc.stop()


def test_reading_ten_times_the_posts_takes_no_more_memory(tmp_path):
    smaller_file, larger_file = tmp_path / "smaller.xml", tmp_path / "larger.xml"
    write_synthetic_wxr(smaller_file, posts=60, comments_per_post=20)
    write_synthetic_wxr(larger_file, posts=600, comments_per_post=20)
    assert larger_file.stat().st_size > 8 * smaller_file.stat().st_size

    smaller, smaller_comments = _peak_bytes_of_reading(smaller_file)
    larger, larger_comments = _peak_bytes_of_reading(larger_file)

    assert (smaller_comments, larger_comments) == (1_200, 12_000)
    # Both hold one record and the parser's 64 KiB chunk at a time, whatever the file.
    assert larger < smaller * 1.25
