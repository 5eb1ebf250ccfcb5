"""The "download all" zip of every student's latest hand-in, built off the request by Celery.

The task streams each file from storage into a temporary zip on the worker (never through a
web process) and stores the result as a media file that only the requester may download.
"""

import hashlib
import re
import tempfile
import uuid
import zipfile

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.access import require
from lms.access import Cap
from lms.errors import Conflict, NotFound
from media.backends import get_backend
from media.models import Purpose, StoredFile
from media.services import download_url

from .. import tasks
from ..models import Assignment, Submission, SubmissionArchive

CHUNK = 1024 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe(part: str) -> str:
    return _UNSAFE.sub("_", part).strip(" .") or "_"


@transaction.atomic
def archive_request(*, by, assignment: Assignment) -> SubmissionArchive:
    require(by, assignment.course, Cap.SUBMISSIONS_READ_ALL)
    running = SubmissionArchive.objects.filter(
        assignment=assignment, requested_by=by, state__in=["queued", "running"]
    ).first()
    if running is not None:
        return running
    archive = SubmissionArchive.objects.create(assignment=assignment, requested_by=by)
    tasks.submission_archive_build.delay_on_commit(archive.pk)
    return archive


def archive_for(*, by, assignment: Assignment, pk) -> SubmissionArchive:
    require(by, assignment.course, Cap.SUBMISSIONS_READ_ALL)
    archive = (
        SubmissionArchive.objects.select_related("file")
        .filter(assignment=assignment, requested_by=by, pk=pk)
        .first()
    )
    if archive is None:
        raise NotFound()
    return archive


def archive_download_url(*, archive: SubmissionArchive) -> str:
    if archive.state != SubmissionArchive.State.DONE or archive.file is None:
        raise Conflict(_("The archive is not ready yet."), code="not_ready")
    return download_url(file=archive.file)


def _latest_attempts(assignment: Assignment):
    latest = (
        Submission.objects.filter(
            assignment=assignment, student=OuterRef("student"), state="submitted"
        )
        .order_by("-attempt")
        .values("pk")[:1]
    )
    return (
        Submission.objects.filter(assignment=assignment, state="submitted", pk=Subquery(latest))
        .select_related("student")
        .prefetch_related("files__file")
        .order_by("student__full_name", "student_id")
    )


def _store(archive: SubmissionArchive, path: str, size: int, sha256: str) -> StoredFile:
    assignment = archive.assignment
    key = f"files/{assignment.course.school_id}/{archive.requested_by_id}/{uuid.uuid4().hex}"
    backend = get_backend()

    def chunks():
        with open(path, "rb") as source:
            while block := source.read(CHUNK):
                yield block

    backend.write_object(key, chunks(), content_type="application/zip")
    return StoredFile.objects.create(
        owner_id=archive.requested_by_id,
        school_id=assignment.course.school_id,
        purpose=Purpose.OTHER,
        key=key,
        name=_safe(f"{assignment.course.code} {assignment.title}")[:200] + ".zip",
        size=size,
        declared_type="application/zip",
        content_type="application/zip",
        sha256=sha256,
        state=StoredFile.State.VERIFIED,
        verified_at=timezone.now(),
    )


def archive_build(*, archive_id: int) -> SubmissionArchive | None:
    archive = (
        SubmissionArchive.objects.select_related("assignment__course")
        .filter(pk=archive_id, state__in=["queued", "running"])
        .first()
    )
    if archive is None:
        return None
    attempts = list(_latest_attempts(archive.assignment))
    SubmissionArchive.objects.filter(pk=archive.pk).update(
        state="running", total=len(attempts), done=0
    )
    backend = get_backend()
    try:
        with tempfile.NamedTemporaryFile(suffix=".zip") as out:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for n, attempt in enumerate(attempts, start=1):
                    folder = _safe(f"{attempt.student.full_name} ({attempt.student.email})")
                    if attempt.text.strip():
                        zf.writestr(f"{folder}/answer.txt", attempt.text)
                    for item in attempt.files.all():
                        name = f"{folder}/{item.position + 1:02d} {_safe(item.name)}"
                        with zf.open(name, "w", force_zip64=True) as target:
                            for block in backend.chunks(item.file.key):
                                target.write(block)
                    SubmissionArchive.objects.filter(pk=archive.pk).update(done=n)
            out.flush()
            size = out.tell()
            digest = hashlib.sha256()
            out.seek(0)
            while block := out.read(CHUNK):
                digest.update(block)
            stored = _store(archive, out.name, size, digest.hexdigest())
    except Exception as exc:
        SubmissionArchive.objects.filter(pk=archive.pk).update(
            state="failed", error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    SubmissionArchive.objects.filter(pk=archive.pk).update(
        state="done", file=stored, finished_at=timezone.now()
    )
    archive.refresh_from_db()
    return archive
