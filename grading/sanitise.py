"""Instructions are rich text written by teachers and shown to students: keep only harmless
markup, so a pasted page can never run script in a student's browser."""

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule


def _safe_href(value: str) -> str | None:
    value = (value or "").strip()
    if value.lower().startswith(("http://", "https://", "mailto:", "/")) and not value.startswith(
        "//"
    ):
        return value
    return None


_PLAIN = [
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "sub",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
]


class _Instructions(Whitelister):
    element_rules = dict.fromkeys(["[document]", *_PLAIN], allow_without_attributes) | {
        "a": attribute_rule({"href": _safe_href}),
        # Unknown tags are unwrapped (their text kept); these lose their content too.
        "script": lambda tag: tag.decompose(),
        "style": lambda tag: tag.decompose(),
    }


def clean_instructions(html: str) -> str:
    return _Instructions().clean(html or "").strip()
