from functools import cached_property

from django.core.paginator import Paginator


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows, so an admin page never COUNTs the whole comment table.

    Past the cap the admin shows CAP results and CAP / per_page pages; moderators
    narrow a list that long with the filters and the search box anyway.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        # Ordering dropped: a sort over the whole table just to count is waste.
        return self.object_list.order_by().values("pk")[: self.CAP].count()
