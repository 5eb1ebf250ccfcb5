"""Grading services: scores, rubrics, late penalties, versions, history, release, regrades."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from grading.models import Grade, GradeChange, RegradeRequest
from grading.services import release
from grading.services.grades import GradeConflict, grade_save, grading_options_update
from lms.errors import Conflict, NotFound, ServiceError
from lms.errors import Forbidden as PermissionDenied
from tests.factories.grades import assignment, simple_rubric, submission, world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def w(db):
    return world(students=3)


def test_score_bounds_and_extra_credit(w):
    a = assignment(w.course, points=10)
    s = w.students[0]
    with pytest.raises(ServiceError, match="cannot be more than 10"):
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D("10.5"))
    with pytest.raises(ServiceError, match="negative"):
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(-1))
    assert not Grade.objects.exists()
    grading_options_update(by=w.teacher, assignment=a, extra_credit=True)
    grade = grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D("10.5"))
    assert grade.score == D("10.5") and grade.version == 1


def test_late_penalty_applied_automatically_and_overridden_with_reason(w):
    a = assignment(w.course, points=10)
    s = w.students[0]
    submission(a, s, seconds_late=3600, penalty=20)
    grade = grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(8))
    assert (grade.raw_score, grade.penalty_percent, grade.late_penalty, grade.score) == (
        D(8),
        D(20),
        D("2.00"),
        D(6),
    )
    with pytest.raises(ServiceError, match="why the late penalty"):
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=1, penalty_override=D(0))
    grade = grade_save(
        by=w.teacher,
        assignment=a,
        student_id=s.pk,
        version=1,
        penalty_override=D("0.5"),
        penalty_override_reason="Mất điện cả xóm",
    )
    assert grade.score == D("7.5") and grade.late_penalty == D(2)
    assert grade.changes.last().reason == "Mất điện cả xóm"


def test_rubric_score_and_level_from_another_rubric(w):
    a = assignment(w.course, points=10)
    rubric = simple_rubric(w.course, w.teacher)
    other = simple_rubric(w.course, w.teacher, title="Khác")
    grading_options_update(by=w.teacher, assignment=a, rubric=rubric)
    criteria = list(rubric.criteria.prefetch_related("levels"))
    good = criteria[0].levels.get(points=3)
    clear = criteria[1].levels.get(points=4)
    s = w.students[0]
    grade = grade_save(
        by=w.teacher,
        assignment=a,
        student_id=s.pk,
        version=None,
        rubric_selections=[
            {"criterion": criteria[0].pk, "level": good.pk, "comment": "Thiếu ví dụ"},
            {"criterion": criteria[1].pk, "level": clear.pk},
        ],
    )
    assert grade.score == D(7)
    assert grade.rubric_selections[0]["comment"] == "Thiếu ví dụ"
    foreign = other.criteria.first().levels.first()
    with pytest.raises(ServiceError, match="another rubric") as err:
        grade_save(
            by=w.teacher,
            assignment=a,
            student_id=s.pk,
            version=grade.version,
            rubric_selections=[{"criterion": criteria[0].pk, "level": foreign.pk}],
        )
    assert err.value.code == "level_not_in_rubric"
    grade.refresh_from_db()
    assert grade.score == D(7) and grade.version == 1
    with pytest.raises(ServiceError, match="Choose one level"):
        grade_save(
            by=w.teacher,
            assignment=a,
            student_id=s.pk,
            version=1,
            rubric_selections=[{"level": good.pk}, {"level": criteria[0].levels.get(points=6).pk}],
        )


def test_stale_version_conflict_keeps_both_values(w):
    a = assignment(w.course)
    s = w.students[0]
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(7))
    grade_save(by=w.assistant, assignment=a, student_id=s.pk, version=1, score=D(8))
    with pytest.raises(GradeConflict) as err:
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=1, score=D(9))
    assert err.value.status == 409
    assert err.value.current.score == D(8) and err.value.current.version == 2
    assert err.value.yours["score"] == "9"
    # Two first saves: the second one, also believing the grade new, conflicts too.
    b = assignment(w.course, title="Bài 2")
    grade_save(by=w.teacher, assignment=b, student_id=s.pk, version=None, score=D(5))
    with pytest.raises(GradeConflict):
        grade_save(by=w.assistant, assignment=b, student_id=s.pk, version=None, score=D(6))
    assert Grade.objects.get(assignment=b).score == D(5)


def test_history_and_released_grade_needs_reason(w):
    a = assignment(w.course)
    s = w.students[0]
    grade_save(by=w.assistant, assignment=a, student_id=s.pk, version=None, score=D(6))
    grade = grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=1, score=D("6.5"))
    release.grade_release(by=w.teacher, grade=grade)
    with pytest.raises(ServiceError, match="already released") as err:
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=2, score=D(7))
    assert err.value.code == "reason_required"
    # A comment-only edit of a released grade needs no reason.
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=2, comment="Tốt hơn rồi")
    grade_save(
        by=w.teacher, assignment=a, student_id=s.pk, version=3, score=D(7), reason="Chấm sót câu 3"
    )
    history = list(
        GradeChange.objects.filter(grade__assignment=a).values_list(
            "action", "old_score", "new_score", "reason", "changed_by"
        )
    )
    assert history == [
        ("graded", None, D(6), "", w.assistant.pk),
        ("changed", D(6), D("6.5"), "", w.teacher.pk),
        ("released", D("6.5"), D("6.5"), "", w.teacher.pk),
        ("changed", D("6.5"), D(7), "Chấm sót câu 3", w.teacher.pk),
    ]


def test_capabilities(w):
    a = assignment(w.course)
    s = w.students[0]
    with pytest.raises(PermissionDenied):
        grade_save(by=s, assignment=a, student_id=s.pk, version=None, score=D(10))
    with pytest.raises(NotFound):
        grade_save(by=w.other_teacher, assignment=a, student_id=s.pk, version=None, score=D(1))
    with pytest.raises(NotFound):
        grade_save(
            by=w.teacher, assignment=a, student_id=w.other_student.pk, version=None, score=D(1)
        )
    grade = grade_save(by=w.assistant, assignment=a, student_id=s.pk, version=None, score=D(5))
    with pytest.raises(PermissionDenied):
        release.grade_release(by=w.assistant, grade=grade)
    with pytest.raises(PermissionDenied):
        release.assignment_release(by=w.admin, assignment=a)
    assert not Grade.objects.filter(released_at__isnull=False).exists()


def test_release_assignment_now_and_scheduled(w, django_capture_on_commit_callbacks):
    a = assignment(w.course)
    first, second, third = w.students
    for student, score in ((first, 7), (second, 8)):
        grade_save(by=w.teacher, assignment=a, student_id=student.pk, version=None, score=score)
    grade_save(by=w.teacher, assignment=a, student_id=third.pk, version=None, comment="đang chấm")
    at = timezone.now() + timedelta(hours=2)
    assert release.assignment_release(by=w.teacher, assignment=a, at=at)["scheduled"] == 3
    assert release.grades_release_due(now=timezone.now()) == 0
    # Graded after scheduling: released with the others.
    grade_save(by=w.teacher, assignment=a, student_id=third.pk, version=1, score=D(9))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert release.grades_release_due(now=at + timedelta(seconds=1)) == 3
    assert len(callbacks) == 1
    assert Grade.objects.filter(assignment=a, released_at__isnull=True).count() == 0
    assert release.grades_release_due(now=at + timedelta(minutes=1)) == 0


def test_release_skips_ungraded(w):
    a = assignment(w.course)
    grade_save(by=w.teacher, assignment=a, student_id=w.students[0].pk, version=None, score=D(4))
    grade_save(
        by=w.teacher, assignment=a, student_id=w.students[1].pk, version=None, comment="chưa xong"
    )
    assert release.assignment_release(by=w.teacher, assignment=a)["released"] == 1
    ungraded = Grade.objects.get(student=w.students[1])
    with pytest.raises(ServiceError, match="Grade the work"):
        release.grade_release(by=w.teacher, grade=ungraded)


def test_regrade_request_flow(w):
    a = assignment(w.course)
    s = w.students[0]
    grade = grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(5))
    with pytest.raises(NotFound):  # not released: it does not exist for the student
        release.regrade_request_create(by=s, grade=grade, reason="Câu 2 đúng mà")
    release.grade_release(by=w.teacher, grade=grade)
    with pytest.raises(NotFound):
        release.regrade_request_create(by=w.students[1], grade=grade, reason="không phải của tôi")
    with pytest.raises(ServiceError):
        release.regrade_request_create(by=s, grade=grade, reason="  ")
    request = release.regrade_request_create(by=s, grade=grade, reason="Câu 2 đúng mà")
    with pytest.raises(Conflict):
        release.regrade_request_create(by=s, grade=grade, reason="lần nữa")
    grade.refresh_from_db()
    answered = release.regrade_request_answer(
        by=w.teacher, request=request, status="accepted", answer="Đúng, cộng 1 điểm", score="6"
    )
    assert answered.status == RegradeRequest.Status.ACCEPTED
    grade.refresh_from_db()
    assert grade.score == D(6)
    last = grade.changes.last()
    assert last.action == "regraded" and "cộng 1 điểm" in last.reason
    with pytest.raises(Conflict):
        release.regrade_request_answer(by=w.teacher, request=request, status="declined", answer="x")


def test_release_notifies_each_student_once_in_their_language(
    w, django_capture_on_commit_callbacks
):
    from django.core import mail

    from lms.models import Notification

    a = assignment(w.course, title="Bài số 3")
    vi, en = w.students[0], w.students[1]
    vi.preferred_language = "vi"
    vi.save()
    for s in (vi, en):
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(8))
    with django_capture_on_commit_callbacks(execute=True):
        release.assignment_release(by=w.teacher, assignment=a)
    with django_capture_on_commit_callbacks(execute=True):
        release.assignment_release(by=w.teacher, assignment=a)  # nothing new to release
    notes = {n.user_id: n for n in Notification.objects.filter(kind="grade_released")}
    assert set(notes) == {vi.pk, en.pk}
    assert "Bài số 3" in notes[vi.pk].title and notes[vi.pk].title.startswith("Đã có điểm")
    assert notes[en.pk].title.startswith("Grade released")
    assert notes[en.pk].url == f"/grading/courses/{w.course.pk}/my-grades/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([vi.email, en.email])
    # A student with no grade gets nothing.
    assert not Notification.objects.filter(user=w.students[2]).exists()
