"""Lists and reports run the same number of SQL queries whatever the number of students,
modules or lessons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import services
from cms.models import LessonProgress
from courses.models import Enrollment
from lms.models import Membership, User
from tests.factories.cms import course_with_lessons, enrol


def add_students(content, count: int) -> list[User]:
    """Many students at once, each having finished the first lessons."""
    school = content.course.school
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + n}@example.test", full_name=f"Học sinh {start + n}")
        for n in range(count)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role="student") for u in users)
    Enrollment.objects.bulk_create(
        Enrollment(course=content.course, user=u, role=Enrollment.Role.STUDENT) for u in users
    )
    LessonProgress.objects.bulk_create(
        LessonProgress(user=u, lesson=lesson) for u in users for lesson in content.lessons[:2]
    )
    return users


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def measure(client_call, content, sizes=(5, 200)) -> list[int]:
    counts = []
    have = 0
    for size in sizes:
        add_students(content, size - have)
        have = size
        client_call()  # warm caches (site root paths, content types)
        counts.append(count_queries(client_call))
    return counts


@pytest.fixture
def big(school):
    return course_with_lessons(school=school, modules=2, lessons_per_module=3)


def test_lesson_list_endpoint_constant_in_students(api_client, big, school):
    from tests.factories.lms import member

    reader = member(school, "student")
    enrol(big.course, reader)
    api_client.force_authenticate(reader)
    url = f"/api/v1/courses/{big.course.id}/lessons/"
    counts = measure(lambda: api_client.get(url), big)
    print("lesson list queries (5, 200 students):", counts)
    assert counts[0] == counts[1]


def test_lesson_list_endpoint_constant_in_lessons(api_client, school, student):
    small = course_with_lessons(school=school, modules=1, lessons_per_module=2)
    large = course_with_lessons(school=school, modules=4, lessons_per_module=6)
    counts = []
    for content in (small, large):
        enrol(content.course, student)
        for lesson in content.lessons[::2]:
            services.lesson_progress_mark(user=student, lesson=lesson)
        api_client.force_authenticate(student)
        url = f"/api/v1/courses/{content.course.id}/lessons/"
        api_client.get(url)
        counts.append(count_queries(lambda url=url: api_client.get(url)))
    print("lesson list queries (2, 24 lessons):", counts)
    assert counts[0] == counts[1]


def test_staff_progress_endpoint_and_page_constant_in_students(api_client, client, big, school):
    from tests.factories.lms import member

    teacher = member(school, "teacher")
    enrol(big.course, teacher, Enrollment.Role.TEACHER)
    api_client.force_authenticate(teacher)
    api_url = f"/api/v1/courses/{big.course.id}/progress/students/?page_size=200"
    api_counts = measure(lambda: api_client.get(api_url), big)
    client.force_login(teacher)
    page_url = f"/courses/{big.course.id}/progress/"
    page_counts = measure(lambda: client.get(page_url), big, sizes=(210, 400))
    print("staff progress queries: api", api_counts, "page", page_counts)
    assert api_counts[0] == api_counts[1]
    assert page_counts[0] == page_counts[1]


def test_reading_pages_constant_in_students_and_lessons(client, school, student):
    small = course_with_lessons(school=school, modules=1, lessons_per_module=2)
    large = course_with_lessons(school=school, modules=3, lessons_per_module=5)
    client.force_login(student)
    counts = []
    for content in (small, large):
        enrol(content.course, student)
        add_students(content, 50)
        for url in (content.page.url, content.lessons[1].url, "/courses/mine/"):
            client.get(url)
        counts.append(
            [
                count_queries(lambda u=u: client.get(u))
                for u in (content.page.url, content.lessons[1].url)
            ]
        )
    print("course home, lesson page queries (small, large):", counts)
    assert counts[0] == counts[1]


def test_my_courses_constant_in_courses(client, school, student):
    client.force_login(student)
    counts = []
    for n in (1, 4):
        while Enrollment.objects.filter(user=student).count() < n:
            content = course_with_lessons(school=school, modules=1, lessons_per_module=2)
            enrol(content.course, student)
        client.get("/courses/mine/")
        counts.append(count_queries(lambda: client.get("/courses/mine/")))
    print("my courses queries (1, 4 courses):", counts)
    assert counts[0] == counts[1]
