"""Issue #8's findings in cms, each shown fixed (each test failed before its fix)."""

import pytest
from wagtail import hooks
from wagtail.models import Page

from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import SchoolFactory, member

pytestmark = pytest.mark.django_db


def test_the_page_chooser_lists_only_the_teachers_own_courses(rf):
    school, other = SchoolFactory(), SchoolFactory()
    mine = course_with_lessons(school=school, title="Toán của tôi", modules=1, lessons_per_module=1)
    theirs = course_with_lessons(
        school=other, title="Sử trường khác", modules=1, lessons_per_module=1
    )
    teacher = member(school, "teacher")
    enrol(mine.course, teacher, "teacher")
    request = rf.get("/admin/choose-page/")
    request.user = teacher
    pages = Page.objects.all()
    for hook in hooks.get_hooks("construct_page_chooser_queryset"):
        pages = hook(pages, request)
    ids = set(pages.values_list("pk", flat=True))
    assert {mine.lessons[0].pk, mine.page.pk} <= ids
    assert not {theirs.page.pk, theirs.lessons[0].pk, theirs.modules[0].pk} & ids
    assert mine.page.get_parent().pk in ids  # the way down to one's course stays browsable


def test_the_page_chooser_view_does_not_show_other_schools_courses(client):
    school, other = SchoolFactory(), SchoolFactory()
    mine = course_with_lessons(school=school, title="Toán của tôi", modules=1, lessons_per_module=1)
    theirs = course_with_lessons(
        school=other, title="Sử trường khác", modules=1, lessons_per_module=1
    )
    teacher = member(school, "teacher")
    enrol(mine.course, teacher, "teacher")
    client.force_login(teacher)
    response = client.get("/admin/choose-page/search/", {"q": "trường khác"})
    assert theirs.page.title not in response.content.decode()
