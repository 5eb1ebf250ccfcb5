"""Access matrix entries for grading's assignments and submissions.

Who may do what (lms.access): teachers manage assignments and extensions; teachers, assistants
and the school's admins read everyone's submissions; students hand in their own work. Everyone
outside the course gets 404. The "download all" archive is its requester's alone.
"""

from tests.access.matrix import OBSERVERS, SIGNED_IN, Route, expect

IN_COURSE = set(OBSERVERS)
READERS = {"teacher", "assistant", "admin"}  # Cap.SUBMISSIONS_READ_ALL


def allow(*roles):
    """These roles pass; the other people with a role in the course get 403."""
    return expect(ok=set(roles), forbidden=IN_COURSE - set(roles))


MANAGE = allow("teacher")  # Cap.ASSIGNMENT_MANAGE
READ_ALL = allow(*READERS)
SUBMIT = allow("student")  # Cap.SUBMIT_WORK
VIEW = allow(*IN_COURSE)
OWN_OR_READERS = allow("student", *READERS)


def build(w):
    from datetime import timedelta

    from django.utils import timezone

    from grading.models import Assignment, Submission, SubmissionArchive, SubmissionFile
    from grading.models.assignments import Extension
    from media.backends import LocalBackend
    from media.models import Purpose, StoredFile

    student, teacher = w.users["student"], w.users["teacher"]
    w.assignment = Assignment.objects.create(
        course=w.course,
        title="Bài tập A",
        due_at=timezone.now() + timedelta(days=3),
        status=Assignment.Status.PUBLISHED,
        max_attempts=None,
    )
    # An extension to withdraw, so DELETE .../extensions/<student>/ reaches its access check.
    Extension.objects.create(
        assignment=w.assignment,
        student=student,
        due_at=timezone.now() + timedelta(days=5),
        reason="Ốm",
        granted_by=teacher,
    )
    data = b"%PDF-1.7\n" + b"0" * 100
    stored = StoredFile.objects.create(
        owner=student,
        school=w.school,
        purpose=Purpose.SUBMISSION,
        key=f"files/{w.school.pk}/{student.pk}/grading-matrix",
        name="bài.pdf",
        size=len(data),
        content_type="application/pdf",
        sha256="0" * 64,
        state=StoredFile.State.VERIFIED,
    )
    LocalBackend().write_object(stored.key, [data])
    w.attempt = Submission.objects.create(
        assignment=w.assignment,
        student=student,
        attempt=1,
        state=Submission.State.SUBMITTED,
        submitted_at=timezone.now(),
        due_at=w.assignment.due_at,
        client_key="matrix-attempt-1",
        text="Bài làm",
    )
    w.attempt_file = SubmissionFile.objects.create(
        submission=w.attempt, file=stored, name=stored.name, size=stored.size, sha256="0" * 64
    )
    zipped = StoredFile.objects.create(
        owner=teacher,
        school=w.school,
        purpose=Purpose.OTHER,
        key=f"files/{w.school.pk}/{teacher.pk}/grading-matrix-zip",
        name="all.zip",
        size=len(data),
        content_type="application/zip",
        sha256="0" * 64,
        state=StoredFile.State.VERIFIED,
    )
    LocalBackend().write_object(zipped.key, [data])
    w.archive = SubmissionArchive.objects.create(
        assignment=w.assignment, requested_by=teacher, state="done", file=zipped
    )


course = lambda w: {"course_id": w.course.pk}  # noqa: E731
assignment = lambda w: {"pk": w.assignment.pk}  # noqa: E731
student = lambda w: {"pk": w.assignment.pk, "student_id": w.users["student"].pk}  # noqa: E731
attempt = lambda w: {"pk": w.assignment.pk, "attempt_id": w.attempt.pk}  # noqa: E731
archive = lambda w: {"pk": w.assignment.pk, "archive_id": w.archive.pk}  # noqa: E731
attempt_file = lambda w: {  # noqa: E731
    "pk": w.assignment.pk,
    "attempt_id": w.attempt.pk,
    "file_id": w.attempt_file.file_id,
}
# The requester's own archive: other readers do not see it at all.
OWN_ARCHIVE = expect(ok={"teacher"}, forbidden={"student"})

SPEC = {
    # API
    "api-course-assignments": Route(kwargs=course, GET=VIEW, POST=MANAGE),
    "api-assignments-due-soon": Route(GET=expect(ok=SIGNED_IN)),
    "api-assignment": Route(kwargs=assignment, GET=VIEW, PATCH=MANAGE),
    "api-assignment-publish": Route(kwargs=assignment, POST=MANAGE),
    "api-assignment-unpublish": Route(kwargs=assignment, POST=MANAGE),
    "api-assignment-submissions": Route(kwargs=assignment, GET=READ_ALL),
    "api-assignment-student-attempts": Route(kwargs=student, GET=READ_ALL),
    "api-assignment-extension": Route(kwargs=student, PUT=MANAGE, DELETE=MANAGE),
    "api-assignment-draft": Route(kwargs=assignment, GET=SUBMIT, PUT=SUBMIT),
    "api-assignment-submit": Route(kwargs=assignment, POST=SUBMIT),
    "api-assignment-attempts": Route(kwargs=assignment, GET=SUBMIT),
    "api-assignment-attempt": Route(kwargs=attempt, GET=OWN_OR_READERS),
    "api-assignment-archives": Route(kwargs=assignment, POST=READ_ALL),
    "api-assignment-archive": Route(kwargs=archive, GET=OWN_ARCHIVE),
    "api-assignment-upload-slot": Route(kwargs=assignment, POST=SUBMIT),
    "api-assignment-file-download": Route(kwargs=attempt_file, GET=OWN_OR_READERS),
    # Pages
    "grading:course": Route(kwargs=course, GET=VIEW),
    "grading:new": Route(kwargs=course, GET=MANAGE, POST=MANAGE),
    "grading:assignment": Route(kwargs=assignment, GET=VIEW),
    "grading:edit": Route(kwargs=assignment, GET=MANAGE, POST=MANAGE),
    "grading:submit": Route(kwargs=assignment, POST=SUBMIT),
    "grading:submissions": Route(kwargs=assignment, GET=READ_ALL),
    "grading:extension": Route(kwargs=student, POST=MANAGE),
    "grading:receipt": Route(kwargs=attempt, GET=OWN_OR_READERS),
    "grading:student_attempts": Route(kwargs=student, GET=READ_ALL),
    "grading:file_download": Route(kwargs=attempt_file, GET=OWN_OR_READERS),
    "grading:archive_start": Route(kwargs=assignment, POST=READ_ALL),
    "grading:archive_download": Route(kwargs=archive, GET=OWN_ARCHIVE),
}
