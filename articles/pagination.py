"""Pages of a listing whose cost does not grow with the page number."""

from functools import cached_property

from django.core.paginator import Paginator

from pagecache.fragments import shared


class SeekPaginator(Paginator):
    """Django's Paginator, but a page past the first reads only its own rows.

    With OFFSET, page 2,000 of a section (ten to a page) would fetch 20,000 whole articles
    with their joins to throw all but ten away. Here the ids of the page are found first,
    in a subquery over the listing's ordering alone, which an index on (filter, published
    date, id) answers from the index without touching a row (an index-only scan); then
    only those ten articles are read, by primary key, in the same single query.

    Why not a cursor (?before=<date,id>): ?page=N addresses are public and canonical,
    linked by readers and search engines and kept by the page cache, and "Page N of M"
    is what readers are shown; this keeps every one of them working, with the same number
    of queries as before. The walk left is over index entries only (a few thousand per
    millisecond), never over rows.

    `count_key`: the listing's count ("Page N of M") is then counted once per content
    generation and shared (pagecache.fragments.shared) by all its pages: counting 200,000
    published articles reads 200,000 index entries, which no page should do each time.
    The key names the listing (everything the count depends on besides the content).
    """

    def __init__(self, *args, count_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return self.object_list.count()
        return shared(self.count_key, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # The listing's ordering is kept in the subquery (it is sliced) and outside it.
        ids = self.object_list.prefetch_related(None).select_related(None).values("pk")
        rows = self.object_list.filter(pk__in=ids[bottom:top])
        return self._get_page(rows, number, self)
