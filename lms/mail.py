import sys
from functools import cache

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.template import Context, Engine, engines
from django.utils import translation


@cache
def _text_engine() -> Engine:
    """The project's template engine without HTML escaping, for plain-text messages: a name
    such as “Lê "Bin" & Co” must arrive as typed, not as &quot; and &amp;."""
    html = engines["django"].engine
    return Engine(
        dirs=html.dirs,
        loaders=html.loaders,
        libraries=html.libraries,
        builtins=html.builtins,
        debug=html.debug,
        string_if_invalid=html.string_if_invalid,
        file_charset=html.file_charset,
        autoescape=False,
    )


def render_text(template_name: str, context: dict | None = None) -> str:
    """Render a .txt template as plain text (no HTML escaping). Use it for e-mails and for
    notification titles and bodies, which the inbox page escapes once when it shows them."""
    return (
        _text_engine().get_template(template_name).render(Context(context or {}, autoescape=False))
    )


def send_templated_mail(*, template: str, to: str, language: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` in the recipient's language."""
    with translation.override(language):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        body = render_text(f"{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


def send_text_mail(*, subject: str, body: str, to: str) -> None:
    """A message already rendered in the recipient's language (an inbox notification)."""
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[to]).send()


class ConsoleAndFileBackend(FileBackend):
    """The embedded default: each message is kept under var/mail/ and echoed to the console."""

    def write_message(self, message):
        super().write_message(message)
        msg = message.message()
        sys.stdout.write(
            f"[mail] to {', '.join(message.recipients())}: {msg['Subject']}\n{message.body}\n"
        )
