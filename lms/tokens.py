"""Secrets handed to people (invitation links, API tokens): random, shown once, stored hashed."""

import base64
import hashlib
import secrets

from django.utils.crypto import salted_hmac


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def derived_secret(purpose: str, pk: int, nonce: str) -> str:
    """A link secret computed from a row's id and a random nonce kept on the row, keyed with
    SECRET_KEY. A task can rebuild it from the id alone, so the secret never travels through
    the task broker; a database leak without the key still reveals no usable link."""
    digest = salted_hmac(f"lophoc.{purpose}", f"{pk}:{nonce}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
