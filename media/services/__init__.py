"""Every write about stored files: upload slots, completion (verification), abort, cleanup.

Callers above media (grading, cms) check who may use a file for what; these services check
ownership, quota, size and type, and never trust a file before `upload_complete` verified it.
"""

from .rules import human_size
from .uploads import (
    upload_abort,
    upload_complete,
    upload_parts,
    upload_slot_create,
    uploads_remove_abandoned,
)
from .use import download_url, files_for_use, school_for_upload

__all__ = [
    "download_url",
    "files_for_use",
    "human_size",
    "school_for_upload",
    "upload_abort",
    "upload_complete",
    "upload_parts",
    "upload_slot_create",
    "uploads_remove_abandoned",
]
