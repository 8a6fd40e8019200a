"""Admin change lists that answer a hostile query string with the list, never a 500."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class DeclaredFiltersChangeList(ChangeList):
    """A change list filtered only by what its page offers: its filters and date hierarchy.

    Django also lets the query string filter on any field of the model
    (``?ip_address=…``, ``?body__regex=(``), and a value the database refuses (not
    an address, a broken regular expression) fails only when the rows are read,
    as a 500. Here a parameter no filter took is refused at once, as Django
    refuses a malformed value: the unfiltered list, flagged ``?e=1``. So are the
    calendar's ends: a date hierarchy at the end of year 9999, whose next day
    Django cannot compute, and a date on 1 January of year 1, which SQLite's
    adapter cannot move to UTC.
    """

    def get_filters(self, request):
        try:
            specs, has_filters, remaining, may_have_duplicates, has_active = super().get_filters(
                request
            )
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc
        # What the date hierarchy's year/month/day became.
        bounds = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        undeclared = set(remaining) - bounds if self.date_hierarchy else set(remaining)
        if undeclared:
            raise IncorrectLookupParameters(f"Not a filter of this list: {sorted(undeclared)}")
        return specs, has_filters, remaining, may_have_duplicates, has_active

    def get_results(self, request):
        # The first query, the count, is where a date the backend cannot
        # convert fails.
        try:
            super().get_results(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class DeclaredFiltersOnly:
    """ModelAdmin mixin: the change list takes only its declared filters (see above)."""

    def get_changelist(self, request, **kwargs):
        return DeclaredFiltersChangeList


class ReadOnlyAdmin:
    """A ModelAdmin whose rows nobody adds, changes or deletes here: a log, or a
    list that opens another admin's form."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
