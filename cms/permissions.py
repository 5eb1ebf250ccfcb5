"""Who may read a course's pages.

- The overview (the course page) is public when the course is active and in the catalogue.
- Modules and lessons: the course's active members and the school's administrators.
- A draft or archived course is hidden from students (and the public) but kept for its staff
  and the school's administrators.
Everyone else gets 404, on pages and in the API. The roles come from the one table in
`lms.access`; the course-state rules (active, in the catalogue) are cms's own.
"""

from dataclasses import dataclass

from courses.access import role_of
from courses.models import Course
from lms.access import Cap, CourseRole, role_can


@dataclass(frozen=True)
class CourseAccess:
    role: str | None
    content: bool
    overview: bool

    @property
    def staff(self) -> bool:
        """Teachers, assistants and the school's administrators see every student's work."""
        return role_can(self.role, Cap.SUBMISSIONS_READ_ALL)

    @property
    def student(self) -> bool:
        return self.role == CourseRole.STUDENT


def can_read_content(user, course: Course | None, role: str | None) -> bool:
    if course is None:
        # A page outside any course (the site's own pages): the platform's operators only.
        return bool(user is not None and user.is_authenticated and user.is_superuser)
    if not role_can(role, Cap.CONTENT_READ):
        return False
    # Students read while the course runs; its staff and the school's administrators always.
    return role != CourseRole.STUDENT or course.status == Course.Status.ACTIVE


def can_read_overview(user, course: Course | None, role: str | None) -> bool:
    if can_read_content(user, course, role):
        return True
    return course is not None and course.status == Course.Status.ACTIVE and course.in_catalogue


def access_for(user, course: Course | None) -> CourseAccess:
    role = role_of(user, course)
    return CourseAccess(
        role=role,
        content=can_read_content(user, course, role),
        overview=can_read_overview(user, course, role),
    )


def course_access(request, course: Course | None) -> CourseAccess:
    """access_for, asked once per request and course (routing and rendering both ask)."""
    cache = request.__dict__.setdefault("_cms_course_access", {})
    key = course.pk if course is not None else None
    if key not in cache:
        cache[key] = access_for(request.user, course)
    return cache[key]
