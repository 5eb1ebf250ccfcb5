"""Upload slots, completion (verification), resume, abort and clean-up of stored files."""

import logging
import re
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.errors import Conflict, NotFound, ServiceError
from lms.models import School, User

from .. import conf, names, sniff
from ..backends import get_backend
from ..models import Purpose, StoredFile
from .rules import check_type, human_size, size_limit

log = logging.getLogger(__name__)

_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[\w.+-]+$")
Reason = StoredFile.Reason
# Bytes arrive under uploads/ and are checked only after moving to files/: the slot's POST
# stays valid for a while, and must not be able to replace bytes that were already checked.
UPLOADS = "uploads/"
CHECKED = "files/"


def _held_bytes(user: User) -> int:
    held = StoredFile.objects.filter(
        owner=user, state__in=[StoredFile.State.PENDING, StoredFile.State.VERIFIED]
    ).aggregate(total=Sum("size"))["total"]
    return held or 0


def _part_url(backend, file: StoredFile, number: int, expires: int) -> str:
    size = _expected_part_sizes(file)[number]
    return backend.part_url(file.key, file.upload_id, number, size=size, expires=expires)


def _slot(file: StoredFile, backend) -> dict:
    expires = conf.upload_ttl_seconds()
    slot = {
        "file_id": file.pk,
        "name": file.name,
        "size": file.size,
        "expires_at": (timezone.now() + timedelta(seconds=expires)).isoformat(),
    }
    if file.is_multipart:
        slot |= {
            "method": "multipart",
            "part_size": file.part_size,
            "parts": [
                {
                    "part_number": n,
                    "url": _part_url(backend, file, n, expires),
                }
                for n in range(1, file.part_count + 1)
            ],
        }
    else:
        post = backend.presigned_post(
            file.key, size=file.size, content_type=file.declared_type, expires=expires
        )
        slot |= {"method": "post", "url": post["url"], "fields": post["fields"]}
    return slot


def upload_slot_create(
    *,
    by: User,
    school: School,
    purpose: str,
    name: str,
    size: int,
    content_type: str,
    max_size: int | None = None,
    extensions: list[str] | None = None,
) -> dict:
    """Reserve a pending file and return where the client uploads its bytes (JSON-ready)."""
    if purpose not in Purpose.values:
        raise ServiceError(_("Unknown purpose."), field="purpose")
    clean_name = names.sanitise(name)
    if not clean_name:
        raise ServiceError(
            _("This file name has no usable characters. Rename the file and try again."),
            code="bad_name",
            field="name",
        )
    ext = check_type(clean_name, extensions)
    if not isinstance(size, int) or size <= 0:
        raise ServiceError(
            _("The file is empty. Choose a file that has content."), code="empty", field="size"
        )
    limit = size_limit(max_size)
    if size > limit:
        raise ServiceError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": human_size(size), "limit": human_size(limit)},
            code="too_large",
            field="size",
        )
    content_type = (content_type or "").strip().lower()
    if not _CONTENT_TYPE.match(content_type) or len(content_type) > 127:
        # Browsers send "" for types they do not know; the storage gets a safe default.
        content_type = sniff.CANONICAL_TYPE.get(ext, sniff.UNKNOWN)

    backend = get_backend()
    with transaction.atomic():
        # One quota check at a time per person: two tabs cannot both squeeze under it.
        User.objects.select_for_update().filter(pk=by.pk).first()
        quota = conf.user_quota_bytes()
        held = _held_bytes(by)
        if held + size > quota:
            raise ServiceError(
                _(
                    "This file would take you over your storage quota (%(quota)s; %(free)s "
                    "free). Remove unfinished uploads or ask your school for more space."
                )
                % {"quota": human_size(quota), "free": human_size(max(0, quota - held))},
                code="quota",
                field="size",
            )
        file = StoredFile(
            owner=by,
            school=school,
            purpose=purpose,
            key=f"{UPLOADS}{school.pk}/{by.pk}/{uuid.uuid4().hex}",
            name=clean_name,
            size=size,
            declared_type=content_type,
        )
        if size > conf.multipart_threshold():
            file.part_size = conf.part_size()
            # Inside the transaction: if storage refuses, no pending row is left behind.
            file.upload_id = backend.multipart_create(file.key, content_type=content_type)
        file.save()
    return _slot(file, backend)


def _owned_for_update(by: User, file_id) -> StoredFile:
    try:
        file = StoredFile.objects.select_for_update().get(pk=int(file_id), owner=by)
    except (StoredFile.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such file.")) from None
    return file


def upload_parts(*, by: User, file_id: int) -> dict:
    """For resuming: the parts storage already holds and fresh URLs for the missing ones."""
    file = StoredFile.objects.filter(pk=file_id, owner=by).first()
    if file is None:
        raise NotFound(_("No such file."))
    if file.state != StoredFile.State.PENDING:
        raise Conflict(_("This upload is already finished."), code="finished")
    backend = get_backend()
    if not file.is_multipart:
        # One POST either arrived whole or not at all: nothing to resume but the whole file.
        return {"file_id": file.pk, "method": "post", "part_size": None, "done": []} | {
            "slot": _slot(file, backend)
        }
    expected = _expected_part_sizes(file)
    done = backend.list_parts(file.key, file.upload_id, expected)
    # A part of the wrong size (cut short) is sent again, so it does not count as done.
    complete = {n: p for n, p in done.items() if expected.get(n) == p["size"]}
    expires = conf.upload_ttl_seconds()
    return {
        "file_id": file.pk,
        "method": "multipart",
        "part_size": file.part_size,
        "done": [{"part_number": n, "size": p["size"]} for n, p in sorted(complete.items())],
        "missing": [
            {
                "part_number": n,
                "url": _part_url(backend, file, n, expires),
            }
            for n in sorted(expected)
            if n not in complete
        ],
    }


def _expected_part_sizes(file: StoredFile) -> dict[int, int]:
    count = file.part_count
    sizes = dict.fromkeys(range(1, count), file.part_size)
    sizes[count] = file.size - file.part_size * (count - 1)
    return sizes


def _reject(file: StoredFile, reason: str, backend) -> StoredFile:
    file.state = StoredFile.State.REJECTED
    file.reason = reason
    file.save(update_fields=["state", "reason"])
    key, upload_id = file.key, file.upload_id

    def remove_bytes():
        try:
            if upload_id:
                backend.multipart_abort(key, upload_id)
            backend.delete(key)
        except Exception:  # the periodic task removes what is left
            log.exception("could not delete the bytes of rejected file %s", key)

    transaction.on_commit(remove_bytes)
    return file


def _checked_key(file: StoredFile) -> str:
    return CHECKED + file.key.removeprefix(UPLOADS)


def upload_complete(*, by: User, file_id: int) -> StoredFile:
    """Check the uploaded object and mark the file verified, or rejected with a reason.

    An upload that has not arrived (whole) yet stays pending and raises, so the client can
    finish it; anything wrong with what did arrive rejects the file and deletes its bytes.
    """
    backend = get_backend()
    with transaction.atomic():
        file = _owned_for_update(by, file_id)
        if file.state != StoredFile.State.PENDING:
            return file
        if file.is_multipart:
            done = backend.list_parts(file.key, file.upload_id, _expected_part_sizes(file))
            if not done and (
                backend.size(file.key) is not None or backend.size(_checked_key(file)) is not None
            ):
                # Assembled by an earlier call whose transaction did not commit.
                done = None
        if file.is_multipart and done is not None:
            expected = _expected_part_sizes(file)
            missing = [n for n, size in expected.items() if done.get(n, {}).get("size") != size]
            extra = set(done) - set(expected)
            if extra:
                return _reject(file, Reason.SIZE_MISMATCH, backend)
            if missing:
                raise ServiceError(
                    ngettext(
                        "The upload is not finished: %(count)d part is missing.",
                        "The upload is not finished: %(count)d parts are missing.",
                        len(missing),
                    )
                    % {"count": len(missing)},
                    code="incomplete",
                )
            try:
                backend.multipart_complete(file.key, file.upload_id, done)
            except Exception:
                log.exception("completing multipart upload of %s failed", file.key)
                return _reject(file, Reason.BROKEN, backend)
        if file.is_multipart:
            file.upload_id = ""
            file.save(update_fields=["upload_id"])
        if file.key.startswith(UPLOADS):
            checked_key = _checked_key(file)
            if backend.size(file.key) is not None:
                backend.move(file.key, checked_key)
            elif backend.size(checked_key) is None:
                raise ServiceError(
                    _("The file has not arrived in storage yet. Finish uploading it first."),
                    code="incomplete",
                )
            # (Otherwise an earlier call moved it and then failed before committing.)
            file.key = checked_key
            file.save(update_fields=["key"])
        stored_size = backend.size(file.key) or 0
        if stored_size == 0:
            return _reject(file, Reason.EMPTY, backend)
        if stored_size != file.size:
            return _reject(file, Reason.SIZE_MISMATCH, backend)
        head = backend.read_range(file.key, head=sniff.HEAD_BYTES)
        tail = b""
        if head.startswith(b"PK"):
            tail = backend.read_range(file.key, tail=min(sniff.TAIL_BYTES, stored_size))
        found = sniff.sniff(head, tail)
        if not sniff.matches(file.extension, found):
            return _reject(file, Reason.TYPE_MISMATCH, backend)
        file.content_type = found
        file.sha256 = backend.sha256(file.key)
        file.state = StoredFile.State.VERIFIED
        file.verified_at = timezone.now()
        file.save(update_fields=["content_type", "sha256", "state", "verified_at"])
    return file


def upload_abort(*, by: User, file_id: int) -> None:
    """Give up an unfinished upload: its parts and row go, and its quota is free again."""
    backend = get_backend()
    with transaction.atomic():
        file = _owned_for_update(by, file_id)
        if file.state == StoredFile.State.VERIFIED:
            raise Conflict(
                _("This file is already uploaded; it cannot be aborted."), code="finished"
            )
        _remove(file, backend)


def _remove(file: StoredFile, backend) -> None:
    key, upload_id = file.key, file.upload_id
    file.delete()

    def remove_bytes():
        try:
            if upload_id:
                backend.multipart_abort(key, upload_id)
            backend.delete(key)
        except Exception:
            log.exception("could not remove the bytes of %s", key)

    transaction.on_commit(remove_bytes)


def uploads_remove_abandoned(*, now=None) -> int:
    """Remove pending uploads older than the abandonment age (a day); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=conf.abandoned_after_seconds())
    backend = get_backend()
    removed = 0
    ids = list(
        StoredFile.objects.filter(state=StoredFile.State.PENDING, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            file = (
                StoredFile.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=StoredFile.State.PENDING)
                .first()
            )
            if file is not None:
                _remove(file, backend)
                removed += 1
    # Bytes nothing refers to any more: sent again with a slot's link after its file was
    # checked (and moved), or left when removing them after a commit failed.
    backend.delete_older_than(UPLOADS, cutoff.timestamp())
    return removed
