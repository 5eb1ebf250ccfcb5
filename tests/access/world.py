"""One world for the whole access matrix, built once per test module.

School A holds the course under test (`course`: a teacher, an assistant, a student and a
classmate) and a sibling course (`sibling_course`) taught by `other_teacher` to
`other_student`. School B holds `foreign_course`, administered by `other_admin`. The
operator is a superuser with no membership anywhere.

Leak markers: rows of the sibling course and of school B carry a marker in their titles and
people's names. A role that must not see those rows never finds the marker in a response.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from lms.models import ApiToken, Role
from lms.tokens import hash_secret, new_secret
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import SchoolFactory, member

SIBLING_MARK = "SIBLINGMARKQX"
FOREIGN_MARK = "FOREIGNMARKQX"

# Who may see rows carrying each marker.
MARK_READERS = {
    SIBLING_MARK: {"other_teacher", "other_student", "admin"},
    FOREIGN_MARK: {"other_admin"},
}


def _token(user, *, revoked: bool) -> tuple[ApiToken, str]:
    raw = "lph_" + new_secret()
    token = ApiToken.objects.create(
        user=user,
        name="matrix",
        prefix=raw[:12],
        key_hash=hash_secret(raw),
        revoked_at=timezone.now() if revoked else None,
    )
    return token, raw


def build_core_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.school = SchoolFactory(name="Trường A")
    w.other_school = SchoolFactory(name=f"Trường {FOREIGN_MARK}")
    u = w.users = {
        "student": member(w.school, Role.STUDENT, full_name="Lê Văn Học"),
        "other_student": member(w.school, Role.STUDENT, full_name="Phạm Thị Khác"),
        "teacher": member(w.school, Role.TEACHER, full_name="Trần Thị Giảng"),
        "other_teacher": member(w.school, Role.TEACHER, full_name="Đỗ Văn Dạy"),
        "assistant": member(w.school, Role.TEACHER, full_name="Vũ Thị Trợ"),
        "admin": member(w.school, Role.ADMIN, full_name="Hoàng Văn Quản"),
        "other_admin": member(w.other_school, Role.ADMIN, full_name="Ngô Văn Trị"),
    }
    u["operator"] = member(
        SchoolFactory(name="Nơi khác"), Role.STUDENT, full_name="Operator", is_superuser=True
    )
    u["operator"].memberships.all().delete()
    w.classmate = member(w.school, Role.STUDENT, full_name="Bùi Văn Bạn")

    content = course_with_lessons(
        school=w.school, code="TOAN-A", title="Toán A", modules=1, lessons_per_module=2
    )
    w.course, w.course_page, w.lessons = content.course, content.page, content.lessons
    w.module = content.modules[0]
    sibling = course_with_lessons(
        school=w.school, code="SIB", title=f"Văn {SIBLING_MARK}", modules=1, lessons_per_module=1
    )
    w.sibling_course, w.sibling_lesson = sibling.course, sibling.lessons[0]
    foreign = course_with_lessons(
        school=w.other_school,
        code="FOR",
        title=f"Sử {FOREIGN_MARK}",
        modules=1,
        lessons_per_module=1,
    )
    w.foreign_course, w.foreign_lesson = foreign.course, foreign.lessons[0]

    enrol(w.course, u["teacher"], "teacher")
    enrol(w.course, u["assistant"], "assistant")
    w.student_enrollment = enrol(w.course, u["student"])
    w.enrollment = enrol(w.course, w.classmate)
    enrol(w.sibling_course, u["other_teacher"], "teacher")
    enrol(w.sibling_course, u["other_student"])
    w.sibling_student = member(w.school, Role.STUDENT, full_name=f"An {SIBLING_MARK}")
    enrol(w.sibling_course, w.sibling_student)
    w.foreign_teacher = member(w.other_school, Role.TEACHER, full_name=f"Bình {FOREIGN_MARK}")
    w.foreign_student = member(w.other_school, Role.STUDENT, full_name=f"Chi {FOREIGN_MARK}")
    enrol(w.foreign_course, w.foreign_teacher, "teacher")
    w.foreign_enrollment = enrol(w.foreign_course, w.foreign_student)

    soon = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    w.session = LiveSessionFactory(course=w.course, starts_at=soon, title="Buổi A")
    w.sibling_session = LiveSessionFactory(course=w.sibling_course, title=f"Buổi {SIBLING_MARK}")
    w.foreign_session = LiveSessionFactory(course=w.foreign_course, title=f"Buổi {FOREIGN_MARK}")

    w.token, w.token_raw = _token(u["teacher"], revoked=False)
    w.revoked_token, w.revoked_raw = _token(u["teacher"], revoked=True)
    return w
