"""Reads about course content and progress, narrowed to what the reader may see.

Every function here runs a fixed number of queries, whatever the number of students,
modules or lessons.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Max, OuterRef, Q, Subquery

from courses.models import Course, Enrollment
from courses.selectors import SCHOOL_ADMIN
from lms.errors import NotFound
from lms.models import Membership, Role

from .models import CourseIndexPage, CoursePage, LessonPage, LessonProgress, ModulePage
from .permissions import CourseAccess, access_for, can_read_content, can_read_overview

STEP = CoursePage.steplen


@dataclass
class LessonEntry:
    id: int
    title: str
    url: str
    summary: str
    module_id: int
    position: int
    done: bool = False
    completed_at: datetime | None = None


@dataclass
class ModuleEntry:
    id: int
    title: str
    summary: str
    url: str
    lessons: list[LessonEntry] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.done)


@dataclass
class CourseOutline:
    course_page: CoursePage
    modules: list[ModuleEntry]

    @property
    def lessons(self) -> list[LessonEntry]:
        return [lesson for module in self.modules for lesson in module.lessons]

    def lesson(self, lesson_id: int) -> LessonEntry | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson_id: int) -> tuple[LessonEntry | None, LessonEntry | None]:
        lessons = self.lessons
        for index, lesson in enumerate(lessons):
            if lesson.id == lesson_id:
                before = lessons[index - 1] if index > 0 else None
                after = lessons[index + 1] if index + 1 < len(lessons) else None
                return before, after
        return None, None


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_outline(*, course_page: CoursePage, user) -> CourseOutline:
    """Published modules and their published lessons, in order, with the reader's done marks.

    Two queries.
    """
    modules: list[ModuleEntry] = []
    module_paths: dict[str, ModuleEntry] = {}
    for module in (
        ModulePage.objects.child_of(course_page)
        .live()
        .order_by("path")
        .only("id", "title", "summary", "url_path", "path", "depth")
    ):
        entry = ModuleEntry(
            id=module.id, title=module.title, summary=module.summary, url=module.url
        )
        modules.append(entry)
        module_paths[module.path] = entry
    lessons = (
        LessonPage.objects.descendant_of(course_page)
        .live()
        .order_by("path")
        .only("id", "title", "summary", "url_path", "path", "depth")
    )
    if user is not None and user.is_authenticated:
        lessons = lessons.annotate(
            completed_at=Subquery(
                LessonProgress.objects.filter(user=user, lesson=OuterRef("pk")).values(
                    "completed_at"
                )[:1]
            )
        )
    position = 0
    for lesson in lessons:
        module = module_paths.get(lesson.path[:-STEP])
        if module is None:  # below an unpublished module: not published either
            continue
        position += 1
        completed_at = getattr(lesson, "completed_at", None)
        module.lessons.append(
            LessonEntry(
                id=lesson.id,
                title=lesson.title,
                url=lesson.url,
                summary=lesson.summary,
                module_id=module.id,
                position=position,
                done=completed_at is not None,
                completed_at=completed_at,
            )
        )
    return CourseOutline(course_page=course_page, modules=modules)


def course_progress(outline: CourseOutline) -> Progress:
    lessons = outline.lessons
    return Progress(done=sum(1 for lesson in lessons if lesson.done), total=len(lessons))


def published_lesson_ids(course_pages: list[CoursePage]) -> dict[str, list[int]]:
    """Ids of the published lessons (in published modules) of each course page, by its path.

    Two queries for any number of course pages.
    """
    found: dict[str, list[int]] = {page.path: [] for page in course_pages}
    if not course_pages:
        return found
    below = reduce(or_, (Q(path__startswith=page.path) for page in course_pages))
    depth = course_pages[0].depth
    live_modules = set(
        ModulePage.objects.live().filter(below, depth=depth + 1).values_list("path", flat=True)
    )
    for lesson_id, path in (
        LessonPage.objects.live()
        .filter(below, depth=depth + 2)
        .order_by("path")
        .values_list("id", "path")
    ):
        if path[:-STEP] in live_modules:
            found.setdefault(path[: -2 * STEP], []).append(lesson_id)
    return found


# --- Courses --------------------------------------------------------------------------------


def course_page_for(course: Course) -> CoursePage:
    page = CoursePage.objects.filter(course=course).first()
    if page is None:
        raise NotFound()
    page.course = course
    return page


def course_readable_by(*, user, course_id: int) -> tuple[Course, CoursePage, CourseAccess]:
    """A course whose lessons the user may read, its page and the user's access; else 404."""
    page = CoursePage.objects.filter(course_id=course_id).select_related("course__school").first()
    if page is None:
        raise NotFound()
    access = access_for(user, page.course)
    if not access.content:
        raise NotFound()
    return page.course, page, access


def lesson_readable_by(*, user, lesson_id: int) -> tuple[LessonPage, CourseAccess]:
    """A published lesson the user may read (its module published too), with access; else 404."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or lesson.course_page is None:
        raise NotFound()
    access = access_for(user, lesson.course)
    if not access.content or not lesson.course_page.live:
        raise NotFound()
    if not ModulePage.objects.live().filter(path=lesson.path[:-STEP]).exists():
        raise NotFound()
    return lesson, access


@dataclass
class MyCourse:
    course: Course
    role: str
    page: CoursePage | None
    progress: Progress

    @property
    def is_student(self) -> bool:
        return self.role == Enrollment.Role.STUDENT


def my_courses(*, user) -> list[MyCourse]:
    """The courses the user is an active member of and may read, with their progress.

    Five queries, whatever the number of courses and lessons.
    """
    if not user.is_authenticated:
        return []
    enrollments = list(
        Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE)
        .select_related("course__school", "course__course_page")
        .order_by("course__title")
    )
    readable = [e for e in enrollments if can_read_content(user, e.course, e.role)]
    pages = [page for e in readable if (page := _page_of(e.course)) is not None and page.live]
    lesson_ids = published_lesson_ids(pages)
    all_ids = [lesson_id for ids in lesson_ids.values() for lesson_id in ids]
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=all_ids).values_list(
            "lesson_id", flat=True
        )
    )
    result = []
    for enrollment in readable:
        page = _page_of(enrollment.course)
        ids = lesson_ids.get(page.path, []) if page is not None and page.live else []
        result.append(
            MyCourse(
                course=enrollment.course,
                role=enrollment.role,
                page=page if page is not None and page.live else None,
                progress=Progress(done=sum(1 for i in ids if i in done), total=len(ids)),
            )
        )
    return result


def _page_of(course: Course) -> CoursePage | None:
    try:
        return course.course_page
    except CoursePage.DoesNotExist:
        return None


def catalogue_course_pages(*, index: CourseIndexPage, user) -> list[CoursePage]:
    """The published course pages below a catalogue that this reader may see. Three queries."""
    pages = list(
        CoursePage.objects.child_of(index)
        .live()
        .select_related("course")
        .order_by("course__code", "title")
    )
    roles: dict[int, str] = {}
    is_admin = False
    if user.is_authenticated:
        roles = dict(
            Enrollment.objects.filter(
                user=user,
                status=Enrollment.Status.ACTIVE,
                course_id__in=[p.course_id for p in pages if p.course_id],
            ).values_list("course_id", "role")
        )
        school_ids = {p.course.school_id for p in pages if p.course_id}
        is_admin = Membership.objects.filter(
            user=user, school_id__in=school_ids, role=Role.ADMIN
        ).exists()
    visible = []
    for page in pages:
        role = roles.get(page.course_id) or (SCHOOL_ADMIN if is_admin else None)
        if can_read_overview(user, page.course, role):
            page.reader_role = role
            visible.append(page)
    return visible


# --- Progress for the course's staff --------------------------------------------------------


@dataclass
class StudentProgress:
    user: object
    done: int
    total: int
    last_completed_at: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class CourseProgressReport:
    students: list[StudentProgress]
    lessons: list[LessonEntry]
    done_by_lesson: dict[int, int]
    total: int


def course_progress_report(*, course: Course, course_page: CoursePage) -> CourseProgressReport:
    """Every active student's progress and how many finished each lesson. Five queries."""
    outline = course_outline(course_page=course_page, user=None)
    lesson_ids = [lesson.id for lesson in outline.lessons]
    students = list(
        Enrollment.objects.filter(
            course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    student_ids = Enrollment.objects.filter(
        course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
    ).values("user_id")
    finished = LessonProgress.objects.filter(lesson_id__in=lesson_ids, user_id__in=student_ids)
    per_user = {
        row["user_id"]: row
        for row in finished.values("user_id").annotate(done=Count("id"), last=Max("completed_at"))
    }
    per_lesson: dict[int, int] = defaultdict(int)
    per_lesson.update(
        dict(finished.values("lesson_id").annotate(n=Count("id")).values_list("lesson_id", "n"))
    )
    total = len(lesson_ids)
    return CourseProgressReport(
        students=[
            StudentProgress(
                user=e.user,
                done=per_user.get(e.user_id, {}).get("done", 0),
                total=total,
                last_completed_at=per_user.get(e.user_id, {}).get("last"),
            )
            for e in students
        ],
        lessons=outline.lessons,
        done_by_lesson=per_lesson,
        total=total,
    )
