"""The page tree, the hooks from courses, lesson blocks and the demo content."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cms import services
from cms.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    LessonProgress,
    ModulePage,
    PortalPage,
    SchoolHomePage,
)
from courses.access import SYSTEM
from courses.models import Course, Enrollment
from lms import hooks
from tests.factories.cms import course_with_lessons, enrol, lesson_body
from tests.factories.courses import CourseFactory
from tests.factories.lms import member


def test_course_created_hook_makes_the_course_page_and_catalogue(school):
    course = CourseFactory(school=school, code="TOÁN-10", title="Toán 10")
    hooks.run("course_created", course=course)
    course.refresh_from_db()
    page = course.course_page
    assert page.live and page.title == "Toán 10" and page.slug == "toan-10"
    index = page.get_parent().specific
    assert isinstance(index, CourseIndexPage)
    assert index.get_parent().specific == SchoolHomePage.objects.get(school=school)
    # Running it again changes nothing; a second course shares the catalogue.
    hooks.run("course_created", course=course)
    other = CourseFactory(school=school, code="toan 10", title="Toán 10 (lớp B)")
    hooks.run("course_created", course=other)
    assert CoursePage.objects.count() == 2 and CourseIndexPage.objects.count() == 1
    assert other.course_page.slug == "toan-10-2"


def test_real_courses_services_drive_pages_and_editors(client, school, admin_user):
    from courses import services as courses_services

    course = courses_services.course_create(
        by=admin_user, school=school, code="SU10", title="Lịch sử 10", status=Course.Status.ACTIVE
    )
    page = CoursePage.objects.get(course=course)
    teacher = member(school, "teacher")
    # An assistant (staff, editor) whose drop leaves the course's last-teacher rule out of it.
    enrollment = courses_services.enrollment_create(
        by=admin_user, course=course, user=teacher, role=Enrollment.Role.ASSISTANT
    )
    assert page.permissions_for_user(get_user_model().objects.get(pk=teacher.pk)).can_edit()
    courses_services.enrollment_drop(enrollment=enrollment, by=SYSTEM)
    assert not page.permissions_for_user(get_user_model().objects.get(pk=teacher.pk)).can_edit()

    student = member(school, "student")
    courses_services.enrollment_create(by=admin_user, course=course, user=student)
    client.force_login(student)
    assert client.get(page.url).status_code == 200
    courses_services.course_archive(by=admin_user, course=course)
    assert client.get(page.url).status_code == 404
    assert CoursePage.objects.filter(pk=page.pk, live=True).exists()  # kept, not unpublished
    client.force_login(admin_user)
    assert client.get(page.url).status_code == 200


def test_course_archived_hook_keeps_the_pages(content, member_student, client):
    Course.objects.filter(pk=content.course.pk).update(status=Course.Status.ARCHIVED)
    content.course.refresh_from_db()
    hooks.run("course_archived", course=content.course)
    assert LessonPage.objects.live().filter(pk=content.lessons[0].pk).exists()
    client.force_login(member_student)
    assert client.get(content.lessons[0].url).status_code == 404


def test_page_types_only_live_where_they_belong():
    assert CourseIndexPage.allowed_parent_page_models() == [SchoolHomePage]
    assert SchoolHomePage.allowed_subpage_models() == [CourseIndexPage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert LessonPage.allowed_subpage_models() == []


def test_portal_and_school_home_still_serve(client, content, school):
    portal = PortalPage.objects.get()
    assert client.get(portal.url).status_code == 200
    home = client.get(SchoolHomePage.objects.get(school=school).url).content.decode()
    assert CourseIndexPage.objects.get().url in home


def test_portal_is_rebuilt_in_an_empty_page_tree(db):
    from wagtail.models import Page, Site

    Site.objects.all().delete()
    Page.objects.all().delete()
    portal = services.portal_page()
    assert portal.depth == 2 and Site.objects.get().root_page_id == portal.id


def test_reading_time(db):
    lesson = LessonPage(title="x", body=lesson_body(words=450))
    assert lesson.reading_minutes == 3
    assert LessonPage(title="x", body=[]).reading_minutes == 0


def test_next_live_lesson_block_uses_the_hook(client, content, member_student, monkeypatch):
    lesson = content.lessons[0]
    client.force_login(member_student)
    assert 'data-testid="next-live-lesson"' not in client.get(lesson.url).content.decode()

    starts = timezone.now() + datetime.timedelta(days=1)
    seen = []

    def next_live(course):
        seen.append(course)
        return [{"title": "Chữa bài tập chương 1", "starts_at": starts, "url": "/live/1/"}]

    original = hooks.functions
    monkeypatch.setattr(
        hooks,
        "functions",
        lambda name: (next_live,) if name == "next_live_lesson" else original(name),
    )
    html = client.get(lesson.url).content.decode()
    assert 'data-testid="next-live-lesson"' in html and "Chữa bài tập chương 1" in html
    assert seen == [content.course]


def test_course_page_panels_hook(client, content, member_student, monkeypatch, settings, tmp_path):
    (tmp_path / "panel.html").write_text("<section>{{ panel.title }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    original = hooks.functions
    calls = []

    def panels(request, course):
        calls.append(course)
        return [{"template": "panel.html", "title": "Lịch học"}]

    monkeypatch.setattr(
        hooks,
        "functions",
        lambda name: (panels,) if name == "course_page_panels" else original(name),
    )
    client.force_login(member_student)
    assert "Lịch học" in client.get(content.page.url).content.decode()
    assert calls == [content.course]


def test_every_block_renders(client, content, member_student, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = str(tmp_path)
    image = Image.objects.create(title="Parabol", file=get_test_image_file())
    document = Document.objects.create(title="Phiếu bài tập")
    document.file.save("phieu.pdf", ContentFile(b"%PDF-1.4 test"))
    url = "https://www.youtube.com/watch?v=abc"
    Embed.objects.create(
        hash=get_embed_hash(url, None, None),
        url=url,
        type="video",
        html='<iframe src="https://www.youtube.com/embed/abc"></iframe>',
        last_updated=timezone.now(),
    )
    body = [
        {
            "type": "image",
            "value": {"image": image.id, "alt": "Đồ thị parabol", "caption": "Hình 1"},
        },
        {"type": "video", "value": {"video": url, "caption": "Bài giảng"}},
        {"type": "document", "value": {"document": document.id, "title": ""}},
        {"type": "quote", "value": {"quote": "Học, học nữa", "attribution": "Lênin"}},
        {"type": "definition", "value": {"term": "Hàm số", "definition": "<p>Quy tắc</p>"}},
        {"type": "question", "value": {"question": "<p>1+1?</p>", "answer": "<p>2</p>"}},
        {"type": "callout", "value": {"kind": "warning", "title": "", "text": "<p>Chú ý</p>"}},
    ]
    lesson = services.lesson_page_create(module=content.modules[0], title="Đủ loại", body=body)
    client.force_login(member_student)
    html = client.get(lesson.url).content.decode()
    for expected in [
        'alt="Đồ thị parabol"',
        "youtube.com/embed/abc",
        "Phiếu bài tập",
        "Lênin",
        "<dt>Hàm số</dt>",
        "<details>",
        "callout-warning",
    ]:
        assert expected in html, expected


def test_drafts_and_scheduled_lessons_are_not_served(client, content, member_student):
    module = content.modules[0]
    draft = services.lesson_page_create(module=module, title="Bản nháp", publish=False)
    client.force_login(member_student)
    assert client.get(draft.url or f"{module.url}ban-nhap/").status_code == 404

    scheduled = LessonPage.objects.get(pk=draft.pk)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = scheduled.save_revision()
    revision.publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    # Time passes: the scheduled moment is now behind us.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    scheduled.refresh_from_db()
    assert scheduled.live
    assert client.get(scheduled.url).status_code == 200


def test_demo_seed_is_idempotent(db):
    from cms import demo
    from lms.demo import seed_people

    people = seed_people()
    demo.seed(people=people)
    counts = (
        Course.objects.count(),
        Enrollment.objects.count(),
        LessonPage.objects.count(),
        LessonProgress.objects.count(),
    )
    demo.seed(people=seed_people())
    assert counts == (
        Course.objects.count(),
        Enrollment.objects.count(),
        LessonPage.objects.count(),
        LessonProgress.objects.count(),
    )
    assert counts[2] >= 6 and counts[3] > 0
    toan = Course.objects.get(code="TOAN10")
    assert toan.course_page.live
    teacher = get_user_model().objects.get(pk=people.teachers[0].pk)
    assert toan.course_page.permissions_for_user(teacher).can_edit()


@pytest.mark.parametrize("roles,expected", [(["student"], 1), (["teacher"], 1), (["admin"], 0)])
def test_nav_item(rf, school, roles, expected):
    from cms.views import nav_items

    request = rf.get("/courses/mine/")
    items = nav_items(request, [(school, roles)])
    assert len(items) == expected
    if items:
        assert items[0]["url"] == "/courses/mine/" and items[0]["active"]


def test_course_with_lessons_factory_enrols_through_the_hook(school):
    content = course_with_lessons(school=school, modules=1, lessons_per_module=1)
    teacher = member(school, "teacher")
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    assert teacher.groups.filter(pk=content.page.editors_id).exists()


@pytest.mark.parametrize(
    "who,expected",
    [("member_student", 200), ("course_teacher", 200), ("other_student", 404), (None, 404)],
)
def test_course_documents_are_served_to_course_readers_only(
    client, content, member_student, course_teacher, who, expected, settings, tmp_path, request
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = str(tmp_path)
    document = Document.objects.create(title="Đề cương", collection=content.page.collection)
    document.file.save("de-cuong.pdf", ContentFile(b"%PDF-1.4 test"))
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(document.url)
    assert response.status_code == expected


def test_lesson_page_in_vietnamese(client, content, member_student):
    member_student.preferred_language = "vi"
    member_student.save()
    client.force_login(member_student)
    html = client.get(content.lessons[0].url).content.decode()
    assert "Đánh dấu đã học xong" in html and "1 phút đọc" in html
