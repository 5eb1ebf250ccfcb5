"""Teachers edit the pages of the courses they teach in the Wagtail admin, and nothing else."""

import pytest
from django.contrib.auth import get_user_model

from cms.models import CoursePage, LessonPage
from courses.models import Enrollment
from lms import hooks
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import member


def fresh(user):
    """Permission checks are cached on the user object; ask again as a new request would."""
    return get_user_model().objects.get(pk=user.pk)


def can_edit(user, page) -> bool:
    return page.permissions_for_user(fresh(user)).can_edit()


@pytest.fixture
def course_b(school):
    return course_with_lessons(school=school, modules=1, lessons_per_module=1)


def test_teacher_edits_own_course_pages_only(client, content, course_b, course_teacher):
    for page in [content.page, *content.modules, *content.lessons]:
        assert can_edit(course_teacher, page)
    for page in [course_b.page, *course_b.modules, *course_b.lessons]:
        assert not can_edit(course_teacher, page)
    assert not can_edit(course_teacher, content.page.get_parent())  # the catalogue
    assert not can_edit(course_teacher, content.page.get_parent().get_parent())  # school home

    client.force_login(course_teacher)
    assert client.get("/admin/", follow=True).status_code == 200  # lands on the course
    assert client.get(f"/admin/pages/{content.lessons[0].id}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{course_b.lessons[0].id}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{course_b.page.id}/edit/").status_code in (302, 403)


def test_teacher_may_add_and_publish_lessons_but_not_course_pages(content, course_teacher):
    permissions = content.modules[0].permissions_for_user(fresh(course_teacher))
    assert permissions.can_add_subpage()
    assert permissions.can_publish()
    assert LessonPage in content.modules[0].specific_class.allowed_subpage_models()
    # Course pages are made by creating a course, never in the admin.
    assert not CoursePage.is_creatable
    index = content.page.get_parent()
    assert not index.permissions_for_user(fresh(course_teacher)).can_add_subpage()


def test_rights_follow_enrolment_changes(content, school):
    teacher = member(school, "teacher")
    assert not can_edit(teacher, content.lessons[0])

    enrollment = enrol(content.course, teacher, Enrollment.Role.TEACHER)
    assert can_edit(teacher, content.lessons[0])

    enrollment.status = Enrollment.Status.DROPPED
    enrollment.save()
    hooks.run("enrollment_changed", enrollment=enrollment)
    assert not can_edit(teacher, content.lessons[0])
    assert not fresh(teacher).has_perm("wagtailadmin.access_admin")

    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.role = Enrollment.Role.ASSISTANT
    enrollment.save()
    hooks.run("enrollment_changed", enrollment=enrollment)
    assert can_edit(teacher, content.lessons[0])

    enrollment.role = Enrollment.Role.STUDENT
    enrollment.save()
    hooks.run("enrollment_changed", enrollment=enrollment)
    assert not can_edit(teacher, content.lessons[0])


def test_teacher_of_two_courses_loses_only_the_dropped_one(content, course_b, school):
    teacher = member(school, "teacher")
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    in_b = enrol(course_b.course, teacher, Enrollment.Role.TEACHER)
    in_b.status = Enrollment.Status.DROPPED
    in_b.save()
    hooks.run("enrollment_changed", enrollment=in_b)
    assert can_edit(teacher, content.lessons[0])
    assert not can_edit(teacher, course_b.lessons[0])


def test_students_get_no_admin(client, content, member_student):
    assert not can_edit(member_student, content.lessons[0])
    client.force_login(member_student)
    response = client.get("/admin/")
    # A page saying so, not a redirect to the sign-in page (which sends them back: a loop).
    assert response.status_code == 403
    assert b'data-testid="admin-no-access"' in response.content


def test_school_admin_edits_every_course_of_the_school(content, course_b, school):
    from lms.services import membership_grant

    admin = member(school, "teacher")
    membership_grant(user=admin, school=school, role="admin")
    assert can_edit(admin, content.lessons[0]) and can_edit(admin, course_b.page)


def test_teachers_enrolled_before_the_page_existed_become_editors(school):
    from cms import services
    from tests.factories.courses import CourseFactory, EnrollmentFactory

    course = CourseFactory(school=school)
    teacher = member(school, "teacher")
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    page = services.course_page_ensure(course=course)
    assert can_edit(teacher, page)


def test_publishing_a_revision_keeps_the_course_link_and_editors(content, course_teacher):
    page = CoursePage.objects.get(pk=content.page.pk)
    editors, course_id = page.editors_id, page.course_id
    page.title = "Toán nâng cao"
    page.save_revision(user=fresh(course_teacher)).publish()
    page.refresh_from_db()
    assert (page.title, page.editors_id, page.course_id) == ("Toán nâng cao", editors, course_id)
    assert can_edit(course_teacher, content.lessons[0])


def test_teacher_images_and_documents_live_in_the_course_collection(content, course_teacher):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    user = fresh(course_teacher)
    collections = permission_policy.collections_user_has_permission_for(user, "add")
    assert list(collections) == [content.page.collection]
