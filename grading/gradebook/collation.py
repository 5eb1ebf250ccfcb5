"""Vietnamese name order for grading lists: the shared `lms.collation` key."""

from lms.collation import name_sort_key

__all__ = ["name_sort_key"]
