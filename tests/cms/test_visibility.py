"""Who reads what: the course overview, modules and lessons, on pages and in the API."""

import pytest

from courses.models import Course, Enrollment
from tests.factories.cms import enrol

READERS = [
    "member",
    "teacher",
    "assistant",
    "school_admin",
    "non_member",
    "other_school_admin",
    "dropped",
    "anonymous",
]
# Who reads modules and lessons of an active course.
CONTENT_READERS = {"member", "teacher", "assistant", "school_admin"}


@pytest.fixture
def readers(
    content, school, member_student, course_teacher, admin_user, other_student, other_school_admin
):
    from tests.factories.lms import member

    assistant = member(school, "teacher")
    enrol(content.course, assistant, Enrollment.Role.ASSISTANT)
    dropped = member(school, "student")
    enrol(content.course, dropped, status=Enrollment.Status.DROPPED)
    return {
        "member": member_student,
        "teacher": course_teacher,
        "assistant": assistant,
        "school_admin": admin_user,
        "non_member": other_student,
        "other_school_admin": other_school_admin,
        "dropped": dropped,
        "anonymous": None,
    }


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _set(course, **fields):
    Course.objects.filter(pk=course.pk).update(**fields)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("in_catalogue", [True, False])
def test_active_course_pages(client, content, readers, reader, in_catalogue):
    _set(content.course, in_catalogue=in_catalogue)
    client = _as(client, readers[reader])
    overview_ok = reader in CONTENT_READERS or in_catalogue
    assert client.get(content.page.url).status_code == (200 if overview_ok else 404)
    expected = 200 if reader in CONTENT_READERS else 404
    assert client.get(content.modules[0].url).status_code == expected
    for lesson in content.lessons:
        assert client.get(lesson.url).status_code == expected


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("status", [Course.Status.ARCHIVED, Course.Status.DRAFT])
def test_archived_or_draft_course_is_hidden_from_students_but_kept_for_staff(
    client, content, readers, reader, status
):
    _set(content.course, status=status)
    client = _as(client, readers[reader])
    expected = 200 if reader in {"teacher", "assistant", "school_admin"} else 404
    for url in [content.page.url, content.modules[0].url, content.lessons[0].url]:
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("reader", READERS)
def test_api_follows_the_same_rules(api_client, content, readers, reader):
    user = readers[reader]
    if user is not None:
        api_client.force_authenticate(user)
    lesson = content.lessons[0]
    urls = [
        f"/api/v1/courses/{content.course.id}/lessons/",
        f"/api/v1/lessons/{lesson.id}/",
        f"/api/v1/courses/{content.course.id}/progress/",
    ]
    for url in urls:
        status = api_client.get(url).status_code
        if reader in CONTENT_READERS:
            assert status == 200, url
        elif user is None:
            assert status in (401, 403), url
        else:
            assert status == 404, url
            assert api_client.get(url).json()["code"] == "not_found"


@pytest.mark.parametrize("reader", ["member", "teacher", "school_admin"])
def test_api_archived_course(api_client, content, readers, reader):
    _set(content.course, status=Course.Status.ARCHIVED)
    api_client.force_authenticate(readers[reader])
    response = api_client.get(f"/api/v1/courses/{content.course.id}/lessons/")
    assert response.status_code == (404 if reader == "member" else 200)
    response = api_client.get(f"/api/v1/lessons/{content.lessons[0].id}/")
    assert response.status_code == (404 if reader == "member" else 200)


def test_guessed_ids_answer_404(api_client, member_student, content):
    api_client.force_authenticate(member_student)
    assert api_client.get("/api/v1/courses/999999/lessons/").status_code == 404
    assert api_client.get("/api/v1/lessons/999999/").status_code == 404
    # A module's id is not a lesson.
    assert api_client.get(f"/api/v1/lessons/{content.modules[0].id}/").status_code == 404


def test_member_of_one_course_cannot_read_another(client, school, member_student, content):
    from tests.factories.cms import course_with_lessons

    other = course_with_lessons(school=school, in_catalogue=False)
    client.force_login(member_student)
    assert client.get(other.page.url).status_code == 404
    assert client.get(other.lessons[0].url).status_code == 404
    assert client.get(content.lessons[0].url).status_code == 200


def test_unpublished_lessons_and_modules_stay_hidden(client, api_client, member_student, content):
    lesson = content.lessons[0]
    lesson.unpublish()
    module = content.modules[1]
    module.unpublish()
    client.force_login(member_student)
    assert client.get(lesson.url).status_code == 404
    # Lessons below an unpublished module are not published either.
    assert client.get(content.lessons[2].url).status_code == 404
    api_client.force_authenticate(member_student)
    ids = [
        row["id"]
        for row in api_client.get(f"/api/v1/courses/{content.course.id}/lessons/").json()["results"]
    ]
    assert ids == [content.lessons[1].id]
    assert api_client.get(f"/api/v1/lessons/{content.lessons[2].id}/").status_code == 404


def test_catalogue_lists_public_courses_and_the_readers_own(
    client, school, content, member_student, other_student
):
    from cms.models import CourseIndexPage
    from tests.factories.cms import course_with_lessons

    private = course_with_lessons(school=school, in_catalogue=False)
    enrol(private.course, member_student)
    index = CourseIndexPage.objects.get()
    anonymous = client.get(index.url).content.decode()
    assert content.page.title in anonymous and private.page.title not in anonymous
    client.force_login(member_student)
    mine = client.get(index.url).content.decode()
    assert content.page.title in mine and private.page.title in mine
    client.force_login(other_student)
    theirs = client.get(index.url).content.decode()
    assert private.page.title not in theirs


def test_public_overview_hides_lesson_list_from_visitors(client, content):
    html = client.get(content.page.url).content.decode()
    assert content.lessons[0].title not in html
    assert "/accounts/login/" in html
