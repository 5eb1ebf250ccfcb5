"""Course content for tests: a course with its page, modules and lessons, built by services."""

from dataclasses import dataclass, field

from cms import services
from cms.models import CoursePage, LessonPage, ModulePage
from courses.models import Course, Enrollment

from .courses import CourseFactory, EnrollmentFactory


def lesson_body(words: int = 50) -> list[dict]:
    text = " ".join(["học"] * words)
    return [
        {"type": "heading", "value": {"text": "Mở đầu", "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{text}</p>"},
        {"type": "callout", "value": {"kind": "tip", "title": "", "text": "<p>Ghi nhớ.</p>"}},
        {"type": "code", "value": {"language": "python", "code": "print('xin chào')"}},
        {"type": "next_live_lesson", "value": {"intro": ""}},
    ]


@dataclass
class CourseContent:
    course: Course
    page: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)


def course_with_lessons(
    *, modules: int = 2, lessons_per_module: int = 2, **course_fields
) -> CourseContent:
    """A course (via the course_created hook), its page and published modules and lessons."""
    course = CourseFactory(**course_fields)
    page = services.course_page_ensure(course=course)
    content = CourseContent(course=course, page=page)
    for m in range(modules):
        module = services.module_page_create(course_page=page, title=f"Chương {m + 1}")
        content.modules.append(module)
        for n in range(lessons_per_module):
            content.lessons.append(
                services.lesson_page_create(
                    module=module, title=f"Bài {m + 1}.{n + 1}", body=lesson_body()
                )
            )
    return content


def enrol(course: Course, user, role: str = Enrollment.Role.STUDENT, **fields) -> Enrollment:
    """Enrol as the courses services will: the row, then the enrollment_changed hook."""
    enrollment = EnrollmentFactory(course=course, user=user, role=role, **fields)
    services.course_editor_sync(enrollment=enrollment)
    return enrollment
