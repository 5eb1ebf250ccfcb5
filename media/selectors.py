"""Reads of stored files, already limited to what the asking person may see."""

from django.db.models import QuerySet

from lms.errors import NotFound
from lms.models import User

from .models import StoredFile


def files_of(user: User) -> QuerySet[StoredFile]:
    """A person's own files, newest first (one query, no joins needed by the API)."""
    return StoredFile.objects.filter(owner=user).order_by("-created_at", "-pk")


def file_of_owner(user: User, file_id) -> StoredFile:
    """The file if `user` owns it; anyone else's id is 404, as if it did not exist."""
    try:
        return files_of(user).get(pk=int(file_id))
    except (StoredFile.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
