"""A student marks lessons done; the student and the course's staff see the progress."""

import pytest

from cms import selectors, services
from cms.models import LessonProgress
from courses.models import Course
from lms.errors import NotFound, ServiceError
from tests.factories.cms import enrol
from tests.factories.lms import member


def test_mark_done_with_htmx_returns_the_new_button(client, content, member_student):
    lesson = content.lessons[0]
    client.force_login(member_student)
    response = client.post(
        f"/lessons/{lesson.id}/done/", {"source": "button"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-done="true"' in response.content.decode()
    progress = LessonProgress.objects.get(user=member_student, lesson=lesson)
    assert progress.source == "button"

    response = client.post(f"/lessons/{lesson.id}/undo/", HTTP_HX_REQUEST="true")
    assert 'data-done="false"' in response.content.decode()
    assert not LessonProgress.objects.filter(user=member_student).exists()


def test_read_to_the_end_and_plain_form_post(client, content, member_student):
    lesson = content.lessons[1]
    client.force_login(member_student)
    response = client.post(f"/lessons/{lesson.id}/done/", {"source": "read"})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert LessonProgress.objects.get(user=member_student, lesson=lesson).source == "read"
    page = client.get(lesson.url).content.decode()
    assert 'data-done="true"' in page
    assert "cms/lesson.js" not in page  # nothing left to mark


def test_marking_twice_keeps_the_first_completion(content, member_student):
    lesson = content.lessons[0]
    first = services.lesson_progress_mark(user=member_student, lesson=lesson)
    again = services.lesson_progress_mark(user=member_student, lesson=lesson, source="read")
    assert first.pk == again.pk and again.source == "button"


def test_only_students_of_the_course_record_progress(
    client, content, course_teacher, other_student
):
    lesson = content.lessons[0]
    with pytest.raises(ServiceError) as refused:
        services.lesson_progress_mark(user=course_teacher, lesson=lesson)
    assert refused.value.code == "not_a_student"
    with pytest.raises(NotFound):
        services.lesson_progress_mark(user=other_student, lesson=lesson)
    client.force_login(other_student)
    assert client.post(f"/lessons/{lesson.id}/done/").status_code == 404
    client.force_login(course_teacher)
    assert client.post(f"/lessons/{lesson.id}/done/").status_code == 400


def test_archived_course_refuses_progress(client, content, member_student):
    Course.objects.filter(pk=content.course.pk).update(status=Course.Status.ARCHIVED)
    client.force_login(member_student)
    assert client.post(f"/lessons/{content.lessons[0].id}/done/").status_code == 404


def test_course_progress_counts_published_lessons_only(content, member_student):
    for lesson in content.lessons[:3]:
        services.lesson_progress_mark(user=member_student, lesson=lesson)
    outline = selectors.course_outline(course_page=content.page, user=member_student)
    progress = selectors.course_progress(outline)
    assert (progress.done, progress.total, progress.percent) == (3, 4, 75)
    content.lessons[0].unpublish()
    outline = selectors.course_outline(course_page=content.page, user=member_student)
    assert (selectors.course_progress(outline).done, len(outline.lessons)) == (2, 3)


def test_student_sees_progress_on_course_home_and_my_courses(client, content, member_student):
    services.lesson_progress_mark(user=member_student, lesson=content.lessons[0])
    client.force_login(member_student)
    home = client.get(content.page.url).content.decode()
    assert "1 of 4 lessons done" in home and "width:25%" in home
    assert home.count("is-done") == 1
    mine = client.get("/courses/mine/").content.decode()
    assert content.course.title in mine and "1 of 4 lessons done" in mine
    dashboard = client.get("/dashboard/").content.decode()
    assert 'data-testid="dashboard-courses"' in dashboard and "1 of 4 lessons done" in dashboard
    assert 'href="/courses/mine/"' in dashboard  # the navigation item


def test_my_courses_leaves_out_archived_courses_for_students(client, content, member_student):
    Course.objects.filter(pk=content.course.pk).update(status=Course.Status.ARCHIVED)
    client.force_login(member_student)
    assert content.course.title not in client.get("/courses/mine/").content.decode()


def test_my_courses_for_a_teacher_links_to_the_progress_table(client, content, course_teacher):
    client.force_login(course_teacher)
    html = client.get("/courses/mine/").content.decode()
    assert f"/courses/{content.course.id}/progress/" in html


def test_my_courses_requires_sign_in(client, db):
    assert client.get("/courses/mine/").status_code == 302


def test_staff_progress_page(client, content, school, member_student, course_teacher, admin_user):
    second = member(school, "student", full_name="Trần Thị Bình")
    enrol(content.course, second)
    services.lesson_progress_mark(user=member_student, lesson=content.lessons[0])
    services.lesson_progress_mark(user=member_student, lesson=content.lessons[1])
    url = f"/courses/{content.course.id}/progress/"
    for staff in (course_teacher, admin_user):
        client.force_login(staff)
        html = client.get(url).content.decode()
        assert "Trần Thị Bình" in html and "2 / 4" in html and "0 / 4" in html
    client.force_login(member_student)
    assert client.get(url).status_code == 403  # sees the course, not everyone's progress


@pytest.mark.parametrize(
    ("who", "expected"),
    [("member_student", 403), ("other_student", 404), ("other_school_admin", 404)],
)
def test_staff_progress_page_is_refused_to_others(client, content, who, expected, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/courses/{content.course.id}/progress/").status_code == expected


def test_api_progress_mark_undo_and_course_progress(api_client, content, member_student):
    api_client.force_authenticate(member_student)
    lesson = content.lessons[0]
    response = api_client.post(f"/api/v1/lessons/{lesson.id}/progress/", {}, format="json")
    assert response.status_code == 200 and response.json()["done"] is True
    assert LessonProgress.objects.get(user=member_student).source == "api"
    course = api_client.get(f"/api/v1/courses/{content.course.id}/progress/").json()
    assert course == {"course": content.course.id, "done": 1, "total": 4, "percent": 25}
    lessons = api_client.get(f"/api/v1/courses/{content.course.id}/lessons/").json()["results"]
    assert [row["done"] for row in lessons] == [True, False, False, False]
    response = api_client.delete(f"/api/v1/lessons/{lesson.id}/progress/")
    assert response.json() == {"lesson": lesson.id, "done": False, "completed_at": None}
    bad = api_client.post(
        f"/api/v1/lessons/{lesson.id}/progress/", {"source": "magic"}, format="json"
    )
    assert bad.status_code == 400 and "source" in bad.json()["fields"]


def test_api_staff_progress_list(api_client, content, member_student, course_teacher):
    services.lesson_progress_mark(user=member_student, lesson=content.lessons[0])
    url = f"/api/v1/courses/{content.course.id}/progress/students/"
    api_client.force_authenticate(course_teacher)
    rows = api_client.get(url).json()["results"]
    assert [(r["user"]["id"], r["done"], r["total"], r["percent"]) for r in rows] == [
        (member_student.id, 1, 4, 25)
    ]
    api_client.force_authenticate(member_student)
    assert api_client.get(url).status_code == 403
    api_client.force_authenticate(course_teacher)
    response = api_client.post(f"/api/v1/lessons/{content.lessons[0].id}/progress/")
    assert response.status_code == 400 and response.json()["code"] == "not_a_student"


def test_dropped_students_leave_the_table_but_keep_their_history(content, member_student):
    from courses.models import Enrollment

    services.lesson_progress_mark(user=member_student, lesson=content.lessons[0])
    Enrollment.objects.filter(user=member_student).update(status=Enrollment.Status.DROPPED)
    report = selectors.course_progress_report(course=content.course, course_page=content.page)
    assert report.students == []
    assert LessonProgress.objects.filter(user=member_student).count() == 1
