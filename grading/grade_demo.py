"""Demo grading: a rubric, graded and released work, a draft grade and a regrade request.

Runs after the assignments' demo; safe to run again (keyed on the demo rubric's title).
"""

from courses.models import Course, Enrollment

from .models import Assignment, Category, Grade, RegradeRequest, Rubric, Submission
from .services import release, rubrics
from .services.grades import grade_save, grading_options_update

RUBRIC = "Thang điểm trình bày bài toán"


def seed(*, people) -> None:
    """Grades the hand-ins of the first demo assignment that has some (assignments' demo)."""
    course = Course.objects.filter(school=people.school, code="TOAN10").first()
    if course is None or Rubric.objects.filter(course=course, title=RUBRIC).exists():
        return
    teacher = (
        Enrollment.objects.filter(course=course, role=Enrollment.Role.TEACHER)
        .select_related("user")
        .first()
    )
    handed_in = Submission.objects.filter(
        assignment__course=course,
        assignment__status=Assignment.Status.PUBLISHED,
        state=Submission.State.SUBMITTED,
    ).order_by("assignment__due_at", "assignment_id", "student_id", "-attempt")
    first = handed_in.first()
    if teacher is None or first is None:
        return
    teacher = teacher.user
    assignment = first.assignment
    student_ids = list(dict.fromkeys(s.student_id for s in handed_in.filter(assignment=assignment)))
    for name, weight in (("Thường xuyên", 1), ("Giữa kỳ", 2), ("Cuối kỳ", 3)):
        Category.objects.get_or_create(course=course, name=name, defaults={"weight": weight})
    rubric = rubrics.rubric_create(
        by=teacher,
        course=course,
        title=RUBRIC,
        criteria=[
            {
                "title": "Lời giải đúng",
                "levels": [
                    {"points": 6, "description": "Đúng và đủ"},
                    {"points": 4, "description": "Đúng một phần"},
                    {"points": 0, "description": "Chưa đúng"},
                ],
            },
            {
                "title": "Trình bày",
                "levels": [
                    {"points": 4, "description": "Rõ ràng, có hình vẽ"},
                    {"points": 2, "description": "Còn thiếu bước"},
                ],
            },
        ],
    )
    grading_options_update(by=teacher, assignment=assignment, rubric=rubric)
    criteria = list(rubric.criteria.prefetch_related("levels"))
    # With enough hand-ins the last is left to grade, so "to grade" has something to show.
    to_grade = (
        student_ids[:3] if len(student_ids) <= 2 else student_ids[: min(3, len(student_ids) - 1)]
    )
    for index, student_id in enumerate(to_grade):
        levels = [list(c.levels.all())[min(index, len(c.levels.all()) - 1)] for c in criteria]
        grade_save(
            by=teacher,
            assignment=assignment,
            student_id=student_id,
            version=None,
            rubric_selections=[
                {"criterion": c.pk, "level": lv.pk, "comment": "Cần ghi rõ từng bước."}
                for c, lv in zip(criteria, levels, strict=True)
            ],
            comment="Bài làm cẩn thận, cố gắng trình bày gọn hơn.",
        )
    graded = Grade.objects.filter(assignment=assignment, score__isnull=False).order_by("pk")
    for grade in graded[:2]:
        release.grade_release(by=teacher, grade=grade)
    released = Grade.objects.filter(assignment=assignment, released_at__isnull=False).first()
    if released and not RegradeRequest.objects.filter(grade=released).exists():
        release.regrade_request_create(
            by=released.student,
            grade=released,
            reason="Em đã làm đủ các bước, xin thầy cô xem lại phần trình bày.",
        )
