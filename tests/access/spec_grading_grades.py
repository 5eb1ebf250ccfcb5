"""Access matrix entries for grading's grades, rubrics, release, regrades and the gradebook.

Who may do what (lms.access): teachers and assistants grade and write rubrics (Cap.GRADE);
only teachers release grades and change how the gradebook adds up (Cap.GRADES_RELEASE); the
school's admins read the gradebook (Cap.GRADEBOOK_READ). A student reads only their own
released grades; everyone outside the course gets 404.
"""

from tests.access.matrix import OBSERVERS, SIGNED_IN, Route, expect

IN_COURSE = set(OBSERVERS)


def allow(*roles):
    """These roles pass; the other people with a role in the course get 403."""
    return expect(ok=set(roles), forbidden=IN_COURSE - set(roles))


GRADE = allow("teacher", "assistant")
RELEASE = allow("teacher")
READ_BOOK = allow("teacher", "assistant", "admin")
OWN = allow("student")  # Cap.SUBMIT_WORK: the people whose grades these are
# Another person's grade id answers 404 to everyone but its student.
STUDENTS_OWN = expect(ok={"student"})
OWN_OR_BOOK = expect(ok={"student", "teacher", "assistant", "admin"})


def build(w):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from grading.models import Assignment, Grade, RegradeRequest
    from grading.services.rubrics import rubric_create
    from media.models import Purpose, StoredFile

    student, teacher = w.users["student"], w.users["teacher"]
    w.graded = Assignment.objects.create(
        course=w.course,
        title="Bài kiểm tra chấm điểm",
        points=Decimal(10),
        due_at=timezone.now() - timedelta(days=1),
        status=Assignment.Status.PUBLISHED,
    )
    w.rubric = rubric_create(
        by=teacher,
        course=w.course,
        title="Thang điểm",
        criteria=[{"title": "Nội dung", "levels": [{"points": 10}, {"points": 5}]}],
    )
    feedback = StoredFile.objects.create(
        owner=teacher,
        school=w.school,
        purpose=Purpose.FEEDBACK,
        key=f"files/{w.school.pk}/{teacher.pk}/grading-matrix-feedback",
        name="nhan-xet.pdf",
        size=10,
        content_type="application/pdf",
        sha256="0" * 64,
        state=StoredFile.State.VERIFIED,
    )
    w.feedback = feedback
    w.grade = Grade.objects.create(
        assignment=w.graded,
        student=student,
        raw_score=Decimal(8),
        score=Decimal(8),
        comment="Nhận xét",
        feedback_files=[feedback.pk],
        released_at=timezone.now(),
    )
    w.regrade = RegradeRequest.objects.create(grade=w.grade, student=student, reason="Xem lại")


course = lambda w: {"course_id": w.course.pk}  # noqa: E731
rubric = lambda w: {"course_id": w.course.pk, "pk": w.rubric.pk}  # noqa: E731
regrade = lambda w: {"course_id": w.course.pk, "pk": w.regrade.pk}  # noqa: E731
graded = lambda w: {"assignment_id": w.graded.pk}  # noqa: E731
grade = lambda w: {"assignment_id": w.graded.pk, "student_id": w.users["student"].pk}  # noqa: E731
grade_id = lambda w: {"grade_id": w.grade.pk}  # noqa: E731
feedback = lambda w: {"grade_id": w.grade.pk, "file_id": w.feedback.pk}  # noqa: E731

SPEC = {
    # API
    "api-rubrics": Route(kwargs=course, GET=GRADE, POST=GRADE),
    "api-rubric": Route(kwargs=rubric, GET=GRADE, PATCH=GRADE, DELETE=GRADE),
    "api-gradebook": Route(kwargs=course, GET=READ_BOOK),
    "api-gradebook-settings": Route(kwargs=course, GET=READ_BOOK, PUT=RELEASE),
    "api-gradebook-export": Route(kwargs=course, GET=READ_BOOK),
    "api-gradebook-import-preview": Route(kwargs=course, POST=GRADE),
    "api-gradebook-import-apply": Route(kwargs=course, POST=GRADE),
    "api-my-course-grades": Route(kwargs=course, GET=OWN),
    "api-regrade-requests": Route(kwargs=course, GET=GRADE),
    "api-regrade-answer": Route(kwargs=regrade, POST=GRADE),
    "api-grading-options": Route(kwargs=graded, GET=GRADE, PATCH=GRADE),
    "api-grading-queue": Route(kwargs=graded, GET=GRADE),
    "api-grade": Route(kwargs=grade, GET=GRADE, PUT=GRADE),
    "api-grade-release": Route(kwargs=grade, POST=RELEASE),
    "api-assignment-release": Route(kwargs=graded, POST=RELEASE),
    "api-my-grades": Route(GET=expect(ok=SIGNED_IN)),
    "api-regrade-create": Route(kwargs=grade_id, POST=STUDENTS_OWN),
    "api-feedback-download": Route(kwargs=feedback, GET=OWN_OR_BOOK),
    # Pages
    "grading:grader-start": Route(kwargs=graded, GET=GRADE),
    "grading:grader": Route(kwargs=grade, GET=GRADE),
    "grading:release": Route(kwargs=graded, POST=RELEASE),
    "grading:gradebook": Route(kwargs=course, GET=READ_BOOK),
    "grading:gradebook-export": Route(kwargs=course, GET=READ_BOOK),
    "grading:gradebook-import": Route(kwargs=course, GET=GRADE, POST=GRADE),
    "grading:my-grades": Route(kwargs=course, GET=OWN),
    "grading:regrade": Route(kwargs=grade_id, POST=STUDENTS_OWN),
}
