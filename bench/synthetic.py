"""A made-up WordPress export of any size, for measuring the importer.

    from bench.synthetic import write_synthetic_wxr
    write_synthetic_wxr("/tmp/big.xml", posts=1000, comments_per_post=100)

Comments are threaded (about a third are replies), mostly approved, and about one in
ten carries a link, as real comment sections do.
"""

import random
from datetime import UTC, datetime, timedelta

from wordpress.wxr import cdata, rss_start_tag

_WORDS = [
    "council", "budget", "vote", "street", "library", "school", "water", "park", "housing",
    "bus", "river", "market", "the", "a", "of", "and", "to", "in", "that", "it", "was", "for",
    "on", "with", "as", "at", "by", "this", "we", "they", "readers", "night",
]  # fmt: skip
_STATUSES = ["1"] * 16 + ["0"] * 2 + ["spam", "trash"]


def _sentence(rng, n):
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def write_synthetic_wxr(path, *, posts=1000, comments_per_post=100, seed=7):
    """Write `posts` published posts with `comments_per_post` comments each to `path`."""
    rng = random.Random(seed)  # noqa: S311 -- made-up content, not secrets
    start = datetime(2015, 1, 1, tzinfo=UTC)
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        w = out.write
        w(
            f'<?xml version="1.0" encoding="UTF-8" ?>\n{rss_start_tag()}\n<channel>\n'
            "<title>Synthetic</title><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:author><wp:author_login>editor</wp:author_login>"
            "<wp:author_display_name>The Editor</wp:author_display_name></wp:author>\n"
        )
        for post in range(1, posts + 1):
            date = start + timedelta(hours=post)
            stamp = date.strftime("%Y-%m-%d %H:%M:%S")
            body = "\n\n".join(_sentence(rng, 30) for _ in range(4))
            w(
                f"<item><title>{cdata(_sentence(rng, 6))}</title>"
                f"<link>https://old.example/{date:%Y/%m/%d}/post-{post}/</link>"
                f"<dc:creator>editor</dc:creator>"
                f"<content:encoded>{cdata(body)}</content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_date>{stamp}</wp:post_date>"
                f"<wp:post_date_gmt>{stamp}</wp:post_date_gmt>"
                f"<wp:post_name>post-{post}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                '<category domain="category" nicename="news"><![CDATA[News]]></category>\n'
            )
            first_id = comment_id + 1
            for n in range(comments_per_post):
                comment_id += 1
                parent = 0
                if n and rng.random() < 0.33:
                    parent = rng.randrange(first_id, comment_id)
                text = _sentence(rng, rng.randint(8, 40))
                if rng.random() < 0.1:
                    text += f" More at https://example.org/{comment_id}"
                when = (date + timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M:%S")
                w(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(f'Reader {comment_id % 5000}')}"
                    "</wp:comment_author><wp:comment_author_email>"
                    f"reader{comment_id % 5000}@readers.example</wp:comment_author_email>"
                    f"<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{when}</wp:comment_date>"
                    f"<wp:comment_date_gmt>{when}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(text)}</wp:comment_content>"
                    f"<wp:comment_approved>{rng.choice(_STATUSES)}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            w("</item>\n")
        w("</channel>\n</rss>\n")
