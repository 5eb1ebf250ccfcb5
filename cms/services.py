"""Writes to the CMS page tree: a home page per school, course pages, who may edit them,
and lesson progress."""

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from courses.models import Course, Enrollment
from lms.errors import NotFound, ServiceError
from lms.models import Membership, Role, School, User

from .models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    LessonProgress,
    ModulePage,
    PortalPage,
    SchoolHomePage,
)
from .permissions import access_for

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# What a course's teachers may do with images and documents: in their course's own collection.
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def _root_page() -> Page:
    """Wagtail's tree root. Its migrations make it; a flushed test database may not have it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="vi")
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def portal_page() -> PortalPage:
    portal = PortalPage.objects.first()
    if portal is None:
        portal = _root_page().add_child(instance=PortalPage(title="Lophoc", slug="lophoc"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": portal,
                "site_name": "Lophoc",
            },
        )
    return portal


def _access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def school_editors_group(school: School) -> Group:
    """The Wagtail group whose members edit this school's pages (its administrators)."""
    group, created = Group.objects.get_or_create(name=f"School editors: {school.slug}")
    if created:
        group.permissions.add(_access_admin())
    return group


@transaction.atomic
def school_home_page_ensure(*, school: School) -> SchoolHomePage:
    page = SchoolHomePage.objects.filter(school=school).first()
    if page is None:
        page = portal_page().add_child(
            instance=SchoolHomePage(title=school.name, slug=school.slug, school=school)
        )
        page.save_revision().publish()
    group = school_editors_group(school)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )
    return page


def membership_sync_editor(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        membership.user.groups.add(school_editors_group(membership.school))


@transaction.atomic
def course_index_page_ensure(*, school: School) -> CourseIndexPage:
    home = school_home_page_ensure(school=school)
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title=_("Courses"), slug="courses"))
        index.save_revision().publish()
    return index


def _free_slug(parent: Page, wanted: str) -> str:
    base = slugify(wanted.replace("đ", "d").replace("Đ", "D")) or "course"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _root_collection() -> Collection:
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    return root


def _course_editors_ensure(page: CoursePage, course: Course) -> Group:
    """The course's own editors group: edits this course page and everything below it."""
    group = page.editors
    if group is None:
        group, _created = Group.objects.get_or_create(
            name=f"Course editors: {course.school.slug}/{course.code} #{course.pk}"[:150]
        )
        page.editors = group
    if page.collection is None:
        page.collection = _root_collection().add_child(
            name=f"{course.school.slug} · {course.code} #{course.pk}"
        )
    page.save(update_fields=["editors", "collection"], clean=False)
    group.permissions.add(_access_admin())
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=page.collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    return group


@transaction.atomic
def course_page_ensure(*, course: Course) -> CoursePage:
    """The course's page below its school's catalogue, with its editors group; made if missing.

    The `course_created` hook. Teachers and assistants already enrolled become editors.
    """
    page = CoursePage.objects.filter(course=course).select_related("editors").first()
    if page is not None and page.editors_id and page.collection_id:
        return page
    if page is None:
        index = course_index_page_ensure(school=course.school)
        overview = f"<p>{escape(course.description)}</p>" if course.description else ""
        page = index.add_child(
            instance=CoursePage(
                title=course.title,
                slug=_free_slug(index, course.code),
                course=course,
                overview=overview,
            )
        )
        page.save_revision().publish()
    group = _course_editors_ensure(page, course)
    staff = Enrollment.objects.filter(
        course=course, status=Enrollment.Status.ACTIVE, role__in=Enrollment.STAFF_ROLES
    ).values_list("user_id", flat=True)
    group.user_set.add(*staff)
    return page


def course_page_archive(*, course: Course) -> CoursePage:
    """The `course_archived` hook: the pages stay, for the course's staff and school admins.

    Nothing is unpublished: the visibility rules (cms.permissions) hide an archived course
    from students and the public, so un-archiving brings everything back as it was.
    """
    return course_page_ensure(course=course)


def course_editor_sync(*, enrollment: Enrollment) -> None:
    """The `enrollment_changed` hook; see `course_editors_sync`."""
    course_editors_sync(enrollments=[enrollment])


@transaction.atomic
def course_editors_sync(*, enrollments: list[Enrollment]) -> None:
    """The `enrollments_changed` hook: active teachers and assistants edit the course's pages;
    anyone else (students, dropped staff) loses that right.

    A roster import changes hundreds of enrolments of one course at once: this costs a few
    queries per course, not per person.
    """
    by_course: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_course.setdefault(enrollment.course_id, []).append(enrollment)
    membership = User.groups.through
    for course_id, changed in by_course.items():
        editors = [
            e.user_id
            for e in changed
            if e.status == Enrollment.Status.ACTIVE and e.role in Enrollment.STAFF_ROLES
        ]
        others = [e.user_id for e in changed if e.user_id not in set(editors)]
        if others:
            membership.objects.filter(
                user_id__in=others,
                group_id__in=CoursePage.objects.filter(course_id=course_id).values("editors_id"),
            ).delete()
        if editors:
            page = course_page_ensure(course=changed[0].course)
            page.editors.user_set.add(*editors)


# --- Content (the demo seed and tests write lessons this way; teachers use the admin) -------


@transaction.atomic
def module_page_create(*, course_page: CoursePage, title: str, summary: str = "") -> ModulePage:
    module = course_page.add_child(
        instance=ModulePage(title=title, slug=_free_slug(course_page, title), summary=summary)
    )
    module.save_revision().publish()
    return module


@transaction.atomic
def lesson_page_create(
    *,
    module: ModulePage,
    title: str,
    body: list | None = None,
    summary: str = "",
    publish: bool = True,
) -> LessonPage:
    lesson = module.add_child(
        instance=LessonPage(
            title=title,
            slug=_free_slug(module, title),
            summary=summary,
            body=body or [],
            live=publish,
        )
    )
    revision = lesson.save_revision()
    if publish:
        revision.publish()
    return lesson


# --- Progress -------------------------------------------------------------------------------


def _check_student(user, lesson: LessonPage) -> None:
    access = access_for(user, lesson.course)
    if not access.content:
        raise NotFound()
    if not access.student:
        raise ServiceError(
            _("Only the course's students record their progress."), code="not_a_student"
        )


@transaction.atomic
def lesson_progress_mark(
    *, user, lesson: LessonPage, source: str = LessonProgress.Source.BUTTON
) -> LessonProgress:
    """The student finished the lesson. Marking it again keeps the first completion."""
    _check_student(user, lesson)
    if source not in LessonProgress.Source.values:
        raise ServiceError(_("Unknown progress source."), field="source")
    existing = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(
                user=user, lesson=lesson, source=source, completed_at=timezone.now()
            )
    except IntegrityError:  # two tabs marked it at the same moment
        return LessonProgress.objects.get(user=user, lesson=lesson)


@transaction.atomic
def lesson_progress_undo(*, user, lesson: LessonPage) -> None:
    """The student wants to read the lesson again: it counts as not done."""
    _check_student(user, lesson)
    LessonProgress.objects.filter(user=user, lesson=lesson).delete()
