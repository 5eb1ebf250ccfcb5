import sys

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(*, template: str, to: str, language: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` in the recipient's language."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
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
