import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course, Enrollment
from lms.models import Role
from tests.factories.courses import CourseFactory, bulk_enrol, bulk_members, enrol, roster_csv
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(school, course, other_admin, admin_user):
    """Everyone of the visibility matrix, by name."""
    student = member(school, Role.STUDENT)
    enrol(course, student)
    teacher = member(school, Role.TEACHER)
    enrol(course, teacher, "teacher")
    return {
        "member": student,
        "non_member": member(school, Role.STUDENT),
        "other_teacher": member(school, Role.TEACHER),
        "staff": teacher,
        "school_admin": admin_user,
        "other_school_admin": other_admin,
    }


def _status(api_client, user, method, url, data=None, fmt="json"):
    api_client.force_authenticate(user)
    kwargs = {"format": fmt} if data is not None else {}
    return getattr(api_client, method)(url, data, **kwargs).status_code


MATRIX = [
    # (method, url, data, {actor: expected status})
    (
        "get",
        "/api/v1/courses/{pk}/",
        None,
        {
            "member": 200,
            "non_member": 404,
            "other_teacher": 404,
            "staff": 200,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "patch",
        "/api/v1/courses/{pk}/",
        {"title": "Đổi tên"},
        {
            "member": 403,
            "non_member": 404,
            "other_teacher": 404,
            "staff": 403,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "get",
        "/api/v1/courses/{pk}/enrollments/",
        None,
        {
            "member": 403,  # a member sees the course, lacks the capability
            "non_member": 404,
            "other_teacher": 404,
            "staff": 200,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "get",
        "/api/v1/courses/{pk}/pending-enrollments/",
        None,
        {
            "member": 403,  # a member sees the course, lacks the capability
            "non_member": 404,
            "other_teacher": 404,
            "staff": 200,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "get",
        "/api/v1/courses/{pk}/join-code/",
        None,
        {
            "member": 403,  # a member sees the course, lacks the capability
            "non_member": 404,
            "other_teacher": 404,
            "staff": 200,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "get",
        "/api/v1/courses/{pk}/roster/export/",
        None,
        {
            "member": 403,  # a member sees the course, lacks the capability
            "non_member": 404,
            "other_teacher": 404,
            "staff": 200,
            "school_admin": 200,
            "other_school_admin": 404,
        },
    ),
    (
        "post",
        "/api/v1/courses/{pk}/archive/",
        {},
        {
            "member": 403,
            "non_member": 404,
            "other_teacher": 404,
            "staff": 403,
            "other_school_admin": 404,
            "school_admin": 200,
        },
    ),
]


@pytest.mark.parametrize(("method", "url", "data", "expected"), MATRIX)
def test_visibility_matrix(api_client, course, actors, method, url, data, expected):
    got = {
        name: _status(api_client, actors[name], method, url.format(pk=course.pk), data)
        for name in expected
    }
    assert got == expected


def test_roster_writes_matrix(api_client, course, actors, school):
    newcomer = member(school, Role.STUDENT)
    url = f"/api/v1/courses/{course.pk}/enrollments/"
    for name, expected in (
        ("member", 403),
        ("non_member", 404),
        ("other_teacher", 404),
        ("other_school_admin", 404),
    ):
        assert _status(api_client, actors[name], "post", url, {"email": newcomer.email}) == expected
        file = roster_csv([(newcomer.email, "X", "student")])
        api_client.force_authenticate(actors[name])
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = api_client.post(
            f"/api/v1/courses/{course.pk}/roster/preview/",
            {"file": SimpleUploadedFile("r.csv", file, "text/csv")},
            format="multipart",
        )
        assert response.status_code == expected
    assistant = member(school, Role.TEACHER)
    enrol(course, assistant, "assistant")
    assert _status(api_client, assistant, "get", url) == 200  # assistants read the roster
    assert _status(api_client, assistant, "post", url, {"email": newcomer.email}) == 403
    assert _status(api_client, actors["staff"], "post", url, {"email": newcomer.email}) == 201


def test_course_list_shows_what_each_may_see(api_client, school, course, actors, other_school):
    other_course = CourseFactory(school=other_school)
    second = CourseFactory(school=school)

    def ids(user, **params):
        api_client.force_authenticate(user)
        body = api_client.get("/api/v1/courses/", params).json()
        return {c["id"]: c["my_role"] for c in body["results"]}

    assert ids(actors["member"]) == {course.pk: "student"}
    assert ids(actors["staff"]) == {course.pk: "teacher"}
    assert ids(actors["non_member"]) == {}
    assert ids(actors["school_admin"]) == {course.pk: "admin", second.pk: "admin"}
    assert ids(actors["other_school_admin"]) == {other_course.pk: "admin"}
    assert ids(actors["school_admin"], status="archived") == {}
    api_client.force_authenticate(actors["member"])
    assert api_client.get("/api/v1/courses/", {"status": "nope"}).status_code == 400


def test_admin_creates_edits_archives(api_client, school, admin_user, other_admin, teacher):
    url = f"/api/v1/schools/{school.slug}/courses/"
    api_client.force_authenticate(teacher)
    assert api_client.post(url, {"code": "X", "title": "X"}, format="json").status_code == 404
    api_client.force_authenticate(other_admin)
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(admin_user)
    response = api_client.post(
        url,
        {"code": "HOA-12", "title": "Hoá học 12", "term_start": "2026-09-05", "status": "active"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    duplicate = api_client.post(url, {"code": "hoa-12", "title": "again"}, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["fields"]["code"]
    bad = api_client.patch(f"/api/v1/courses/{pk}/", {"term_end": "2026-01-01"}, format="json")
    assert bad.status_code == 400 and "term_end" in bad.json()["fields"]
    ok = api_client.patch(f"/api/v1/courses/{pk}/", {"in_catalogue": True}, format="json")
    assert ok.json()["in_catalogue"] is True and ok.json()["my_role"] == "admin"
    archived = api_client.post(f"/api/v1/courses/{pk}/archive/").json()
    assert archived["status"] == "archived"
    assert [c["id"] for c in api_client.get(url, {"status": "archived"}).json()["results"]] == [pk]


def test_enrolments_add_and_drop(api_client, course, school, teacher, other_school):
    enrol(course, teacher, "teacher")
    api_client.force_authenticate(teacher)
    url = f"/api/v1/courses/{course.pk}/enrollments/"
    student = member(school, Role.STUDENT)
    response = api_client.post(url, {"email": student.email.upper()}, format="json")
    assert response.status_code == 201
    enrollment_id = response.json()["id"]
    again = api_client.post(url, {"email": student.email}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"
    stranger = member(other_school, Role.STUDENT)
    refused = api_client.post(url, {"email": stranger.email}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_a_member"
    unknown = api_client.post(url, {"email": "ghost@nowhere.test"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["fields"]["email"]
    dropped = api_client.post(f"{url}{enrollment_id}/drop/").json()
    assert dropped["status"] == "dropped" and dropped["dropped_at"]
    other = CourseFactory(school=school)
    enrol(other, teacher, "teacher")
    # an enrolment id of another course answers 404 through this course
    assert (
        api_client.post(f"/api/v1/courses/{other.pk}/enrollments/{enrollment_id}/drop/").status_code
        == 404
    )
    listed = api_client.get(url, {"status": "dropped"}).json()["results"]
    assert [e["user"]["email"] for e in listed] == [student.email]


def test_roster_preview_apply_export_over_api(api_client, course, school, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    enrol(course, teacher, "teacher")
    api_client.force_authenticate(teacher)
    domain = school.allowed_email_domains[0]
    known = member(school, Role.STUDENT, email=f"an@{domain}", full_name="Lê Văn An")
    data = roster_csv(
        [(known.email, "Lê Văn An", "student"), (f"moi@{domain}", "Mới", "student"), ("x", "", "")]
    )
    base = f"/api/v1/courses/{course.pk}/roster/"
    preview = api_client.post(
        base + "preview/", {"file": SimpleUploadedFile("lop.csv", data)}, format="multipart"
    ).json()
    assert [r["verdict"] for r in preview["rows"]] == ["existing", "new", "error"]
    assert preview["summary"]["error"] == 1
    result = api_client.post(base + "import/", {"import_id": preview["import_id"]}, format="json")
    assert result.status_code == 200
    assert result.json()["enrolled"] == 1 and result.json()["invited"] == 1
    # the same file again, in one step: nothing changes
    again = api_client.post(
        base + "import/", {"file": SimpleUploadedFile("lop.csv", data)}, format="multipart"
    ).json()
    assert again["enrolled"] == 0 and again["invited"] == 0 and again["already"] == 2
    bad = api_client.post(
        base + "preview/",
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00junk")},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["fields"]["file"]
    big = api_client.post(
        base + "preview/",
        {"file": SimpleUploadedFile("big.csv", b"a" * (10 * 1024 * 1024))},
        format="multipart",
    )
    assert big.status_code == 400 and big.json()["code"] == "file_too_large"
    export = api_client.get(base + "export/")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    content = export.content.decode("utf-8")
    assert content.startswith("\ufeffemail,full_name,role,status")
    assert "Lê Văn An" in content and f"moi@{domain}" in content


def test_schema_has_no_warnings_from_courses():
    """Our endpoints document themselves. (Warnings shared by every app, such as the bearer
    authenticator without a schema extension, belong to lms and are left out here.)"""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "courses/" in message and "could not resolve authenticator" not in message
    ]
    GENERATOR_STATS.reset()
    assert ours == []
    assert "/api/v1/courses/{id}/roster/preview/" in schema["paths"]
    assert "/api/v1/courses/join/" in schema["paths"]


# --- Queries do not grow with the number of students ------------------------------------------


def _queries(api_client, user, url):
    api_client.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/courses/",
        "/api/v1/courses/{pk}/",
        "/api/v1/courses/{pk}/enrollments/?page_size=200",
        "/api/v1/courses/{pk}/pending-enrollments/",
        "/api/v1/courses/{pk}/roster/export/",
        "/api/v1/schools/{slug}/courses/",
    ],
)
def test_query_count_is_the_same_for_5_and_200_students(
    api_client, school, course, admin_user, url
):
    url = url.format(pk=course.pk, slug=school.slug)
    teacher = member(school, Role.TEACHER)
    enrol(course, teacher, "teacher")
    others = [CourseFactory(school=school) for _i in range(3)]
    bulk_enrol(course, bulk_members(school, 5))
    for other in others:
        bulk_enrol(other, bulk_members(school, 2, prefix=f"o{other.pk}"))
    user = admin_user if "schools" in url else teacher
    for other in others:
        enrol(other, teacher, "assistant")
    small = _queries(api_client, user, url)
    bulk_enrol(course, bulk_members(school, 195, prefix="more"))
    for other in others:
        bulk_enrol(other, bulk_members(school, 60, prefix=f"m{other.pk}"))
    assert Enrollment.objects.filter(course=course, role="student").count() == 200
    assert _queries(api_client, user, url) == small


def test_course_list_query_count_does_not_grow_with_courses(api_client, school, admin_user):
    for _i in range(3):
        bulk_enrol(CourseFactory(school=school), bulk_members(school, 3, prefix=f"a{_i}"))
    small = _queries(api_client, admin_user, "/api/v1/courses/")
    for _i in range(30):
        CourseFactory(school=school, status=Course.Status.DRAFT)
    assert _queries(api_client, admin_user, "/api/v1/courses/") == small
