import pytest

from lms.models import Role
from tests.factories.lms import SchoolFactory, UserFactory, member


@pytest.mark.django_db
class TestDashboards:
    def test_admin_sees_people_management(self, client, admin_user, school):
        client.force_login(admin_user)
        body = client.get("/dashboard/").content.decode()
        assert f"/schools/{school.slug}/people/" in body
        assert 'data-role="admin"' in body

    def test_teacher_and_student_see_their_role_but_not_admin_tools(
        self, client, teacher, student, school
    ):
        for user, role in ((teacher, "teacher"), (student, "student")):
            client.force_login(user)
            body = client.get("/dashboard/").content.decode()
            assert f'data-role="{role}"' in body
            assert "/people/" not in body

    def test_one_person_with_roles_in_two_schools(self, client):
        user = UserFactory()
        school_a, school_b = SchoolFactory(), SchoolFactory()
        from lms.models import Membership

        Membership.objects.create(user=user, school=school_a, role=Role.TEACHER)
        Membership.objects.create(user=user, school=school_b, role=Role.STUDENT)
        client.force_login(user)
        body = client.get("/dashboard/").content.decode()
        assert school_a.name in body and school_b.name in body
        assert 'data-role="teacher"' in body and 'data-role="student"' in body

    def test_person_without_school_is_told_how_to_join(self, client):
        client.force_login(UserFactory())
        assert "not in a school yet" in client.get("/dashboard/").content.decode()

    def test_dashboard_needs_sign_in(self, client, db):
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_school_users_api_is_paginated_filtered_and_constant_in_queries(
    api_client, school, admin_user, django_assert_num_queries
):
    api_client.force_authenticate(admin_user)
    url = f"/api/v1/schools/{school.slug}/users/"

    def count_queries(n_students):
        for _ in range(n_students):
            member(school, Role.STUDENT)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(url, {"role": "student", "page_size": 200})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    small, body_small = count_queries(5)
    large, body_large = count_queries(195)
    assert body_small["count"] == 5 and body_large["count"] == 200
    assert small == large
    assert all(row["roles"] == ["student"] for row in body_large["results"])
    assert api_client.get(url, {"role": "wizard"}).status_code == 400


@pytest.mark.django_db
def test_school_users_api_is_404_for_non_admins(api_client, school, teacher):
    api_client.force_authenticate(teacher)
    assert api_client.get(f"/api/v1/schools/{school.slug}/users/").status_code == 404
    other_admin = member(SchoolFactory(), Role.ADMIN)
    api_client.force_authenticate(other_admin)
    assert api_client.get(f"/api/v1/schools/{school.slug}/users/").status_code == 404
