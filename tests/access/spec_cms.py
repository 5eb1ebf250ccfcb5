"""Access matrix entries for cms: course pages, lessons, progress and course documents."""

from tests.access.matrix import (
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OBSERVERS,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    STUDENT,
    Route,
    expect,
)

ADMIN = {"admin"}
PROGRESS_READERS = STAFF | ADMIN
course = lambda w: {"course_id": w.course.pk}  # noqa: E731
lesson = lambda w: {"lesson_id": w.lessons[0].pk}  # noqa: E731
POST_ONLY = expect(default=NOT_ALLOWED, anonymous=LOGIN)
NOBODY = expect(default=HIDDEN, anonymous=HIDDEN)  # an unknown password restriction


def build(w):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    w.document = Document.objects.create(title="Đề cương", collection=w.course_page.collection)
    w.document.file.save("de-cuong.pdf", ContentFile(b"%PDF-1.4 matrix"))


SPEC = {
    "my_courses": Route(GET=expect(ok=SIGNED_IN)),
    "course_progress": Route(kwargs=course, GET=expect(ok=PROGRESS_READERS, forbidden=STUDENT)),
    "lesson_done": Route(kwargs=lesson, GET=POST_ONLY, POST=expect(ok=OBSERVERS)),
    "lesson_undo": Route(kwargs=lesson, GET=POST_ONLY, POST=expect(ok=OBSERVERS)),
    "api-course-lessons": Route(kwargs=course, GET=expect(ok=OBSERVERS)),
    "api-course-progress": Route(kwargs=course, GET=expect(ok=OBSERVERS)),
    "api-course-student-progress": Route(
        kwargs=course, GET=expect(ok=PROGRESS_READERS, forbidden=STUDENT)
    ),
    "api-lesson": Route(kwargs=lesson, GET=expect(ok=OBSERVERS)),
    "api-lesson-progress": Route(
        kwargs=lesson, POST=expect(ok=OBSERVERS), DELETE=expect(ok=OBSERVERS)
    ),
    # Wagtail serves the published pages: a lesson to the course's readers only.
    "wagtail_serve": Route(
        url=lambda w: w.lessons[0].get_url(), GET=expect(ok=OBSERVERS, anonymous=HIDDEN)
    ),
    "wagtaildocs_serve": Route(
        url=lambda w: w.document.url, GET=expect(ok=OBSERVERS, anonymous=HIDDEN)
    ),
    "wagtaildocs_authenticate_with_password": Route(
        kwargs=lambda w: {"restriction_id": 999999}, GET=NOBODY, POST=NOBODY
    ),
    "wagtailcore_authenticate_with_password": Route(
        kwargs=lambda w: {"page_view_restriction_id": 999999, "page_id": w.lessons[0].pk},
        GET=NOBODY,
        POST=NOBODY,
    ),
    "wagtailcore_login": Route(GET=PUBLIC, POST=PUBLIC, PUT=PUBLIC),
}
