"""The limits every file meets: allowed types by extension, the size ceiling."""

from django.utils.translation import gettext as _

from lms.errors import ServiceError

from .. import conf, names, sniff


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def allowed_extensions(extensions: list[str] | None) -> set[str]:
    known = set(sniff.EXTENSION_TYPES)
    if extensions is None:
        return known
    return {ext.lower().lstrip(".") for ext in extensions} & known


def check_type(name: str, extensions: list[str] | None, *, field: str = "name") -> str:
    ext = names.extension(name)
    allowed = allowed_extensions(extensions)
    if ext not in allowed:
        raise ServiceError(
            _("Files of this type are not accepted here. Allowed: %(types)s.")
            % {"types": ", ".join(f".{e}" for e in sorted(allowed))},
            code="type_not_allowed",
            field=field,
        )
    return ext


def size_limit(max_size: int | None) -> int:
    ceiling = conf.max_file_bytes()
    return min(max_size, ceiling) if max_size else ceiling
