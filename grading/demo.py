"""Demo assignments: two per demo course, some handed in, one late, one with a PDF."""

import uuid
from datetime import timedelta

from django.utils import timezone

from courses.models import Course, Enrollment
from media.backends import get_backend
from media.models import Purpose, StoredFile
from media.services import upload_complete, upload_slot_create

from .models import Assignment
from .services.assignments import assignment_create
from .services.submissions import submission_submit

# The smallest PDF readers open: one empty page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_pdf(student, school) -> StoredFile:
    """Store the PDF the way a browser would (slot, bytes, verification), without a browser."""
    slot = upload_slot_create(
        by=student,
        school=school,
        purpose=Purpose.SUBMISSION,
        name="Bài làm chương 1.pdf",
        size=len(DEMO_PDF),
        content_type="application/pdf",
    )
    file = StoredFile.objects.get(pk=slot["file_id"])
    backend = get_backend()
    backend.write_object(file.key, [DEMO_PDF], content_type="application/pdf")
    return upload_complete(by=student, file_id=file.pk)


def seed(*, people) -> None:
    now = timezone.now()
    for course in Course.objects.filter(school=people.school).order_by("pk"):
        if Assignment.objects.filter(course=course).exists():
            continue
        staff = (
            Enrollment.objects.filter(course=course, role="teacher", status="active")
            .select_related("user")
            .first()
        )
        if staff is None:
            continue
        by = staff.user
        essay = assignment_create(
            by=by,
            course=course,
            title="Bài tập chương 1",
            instructions="<p>Làm các bài 1–5 trang 24 và nộp bài (ảnh chụp hoặc PDF).</p>",
            due_at=now + timedelta(days=3),
            late_cutoff=now + timedelta(days=5),
            late_penalty_percent=10,
            allowed_extensions=["pdf", "jpg", "png", "docx"],
            max_attempts=2,
            category="Bài tập về nhà",
            publish=True,
        )
        quiz = assignment_create(
            by=by,
            course=course,
            title="Tóm tắt bài giảng tuần 1",
            instructions="<p>Viết tóm tắt khoảng 200 chữ.</p>",
            due_at=now - timedelta(hours=20),
            late_cutoff=now + timedelta(days=2),
            late_penalty_percent=5,
            late_penalty_unit=Assignment.PenaltyUnit.DAY,
            submission_type=Assignment.SubmissionType.TEXT,
            category="Bài tập về nhà",
            publish=True,
        )
        students = [
            e.user
            for e in Enrollment.objects.filter(course=course, role="student", status="active")
            .select_related("user")
            .order_by("pk")[:4]
        ]
        for i, student in enumerate(students):
            key = f"demo-{uuid.uuid4().hex[:12]}"
            if i == 0:
                pdf = _demo_pdf(student, course.school)
                submission_submit(
                    by=student,
                    assignment=essay,
                    client_key=key,
                    text="Em nộp bài chương 1.",
                    file_ids=[pdf.pk],
                )
            elif i == 1:
                submission_submit(by=student, assignment=essay, client_key=key, text="Bài làm")
            # The summary was due yesterday: these hand-ins are late (the demo student's among them,
            # so signing in as them shows a released grade with its rubric and feedback).
            if i in (0, 2):
                submission_submit(
                    by=student,
                    assignment=quiz,
                    client_key=f"{key}-late",
                    text="Tóm tắt: bài giảng giới thiệu các khái niệm cơ bản của chương.",
                )
