"""Lists of people in the school's order: Vietnamese style (given name first) when lms's
collation is available, else case-insensitive by full name."""

try:  # lms.collation lands with the school-UI work; until then a plain order.
    from lms.collation import name_sort_key as _name_key
except ImportError:  # pragma: no cover - exercised only before the merge

    def _name_key(full_name: str):
        return (full_name or "").casefold()


def name_key(full_name: str, email: str = "") -> tuple:
    return (_name_key(full_name or ""), (email or "").casefold())


def sort_people(items, *, name=lambda x: x.full_name, email=lambda x: x.email) -> list:
    return sorted(items, key=lambda x: name_key(name(x), email(x)))
