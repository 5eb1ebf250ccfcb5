"""The main pages of each demo role, for the crawls (accessibility, untranslated text, phone).

`seed_demo` fills the demo school; this module turns it into (role, name, path) rows.
"""

from django.core.management import call_command

from lms.demo import DEMO_PASSWORDS
from lms.models import Role
from tests.jitsi_standin import URL as STANDIN  # noqa: F401  (re-exported for the crawls)

LOGINS = {
    "student": ("hocsinh01@demo.lophoc.test", DEMO_PASSWORDS[Role.STUDENT]),
    "teacher": ("giaovien1@demo.lophoc.test", DEMO_PASSWORDS[Role.TEACHER]),
    "admin": ("quantri@demo.lophoc.test", DEMO_PASSWORDS[Role.ADMIN]),
}


def seed_and_list() -> list[tuple[str, str, str]]:
    """Seeds the demo school and lists its main pages per role."""
    from classrooms.models import LiveSession
    from cms.models import CoursePage, LessonPage
    from courses.models import Course
    from grading.models import Assignment, Submission

    call_command("seed_demo", "--quiet-logins")
    course = Course.objects.get(code="TOAN10")
    school = course.school
    session = (
        LiveSession.objects.filter(course=course, status__in=["scheduled", "live"])
        .order_by("starts_at")
        .first()
    )
    course_page = CoursePage.objects.filter(course=course).first()
    lesson = LessonPage.objects.descendant_of(course_page).live().first() if course_page else None
    shared = [
        ("dashboard", "/dashboard/"),
        ("live-schedule", f"/live/courses/{course.pk}/"),
        ("live", f"/live/{session.pk}/"),
    ]
    if course_page:
        shared.append(("course", course_page.url))
    if lesson:
        shared.append(("lesson", lesson.url))
    assignment = Assignment.objects.filter(course=course).order_by("pk").first()
    submission = (
        Submission.objects.filter(assignment=assignment, student__email=LOGINS["student"][0])
        .select_related("assignment")
        .first()
    ) or Submission.objects.filter(assignment=assignment).order_by("pk").first()
    shared += [
        ("assignments", f"/assignments/courses/{course.pk}/"),
        ("assignment", f"/assignments/{assignment.pk}/"),
    ]
    pages = [("student", name, path) for name, path in shared]
    pages += [
        ("student", "my-attendance", "/attendance/me/"),
        ("student", "notifications", "/notifications/"),
        ("student", "my-grades", f"/grading/courses/{course.pk}/my-grades/"),
    ]
    pages += [("teacher", name, path) for name, path in shared]
    pages += [
        ("teacher", "schedule-new", f"/live/courses/{course.pk}/schedule/new/"),
        ("teacher", "roster", f"/courses/{course.pk}/roster/"),
        ("teacher", "attendance-course", f"/attendance/courses/{course.pk}/"),
        ("teacher", "attendance-lesson", f"/attendance/lessons/{session.pk}/"),
        ("teacher", "assignment-new", f"/assignments/courses/{course.pk}/new/"),
        ("teacher", "submissions", f"/assignments/{assignment.pk}/submissions/"),
        (
            "teacher",
            "grader",
            f"/grading/assignments/{assignment.pk}/students/{submission.student_id}/",
        ),
        ("teacher", "gradebook", f"/grading/courses/{course.pk}/gradebook/"),
    ]
    pages += [
        ("admin", "dashboard", "/dashboard/"),
        ("admin", "people", f"/schools/{school.slug}/people/"),
        ("admin", "courses", f"/schools/{school.slug}/courses/"),
        ("admin", "attendance-school", f"/attendance/schools/{school.slug}/"),
        ("admin", "roster", f"/courses/{course.pk}/roster/"),
    ]
    return pages


def sign_in(page, base_url: str, role: str) -> None:
    email, password = LOGINS[role]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base_url}/dashboard/")
