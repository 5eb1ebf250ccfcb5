"""The Wagtail admin is part of Lophoc: its own CSP, no Gravatar, Lophoc's name and colours, a
way back to Lophoc, teachers landing on their course's lessons, and a clear refusal for people
who have nothing to edit."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from courses.models import Enrollment
from lms.services import membership_grant
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import member


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def sidebar_props(html: str) -> str:
    found = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert found, "the admin's sidebar is missing"
    return json.dumps(json.loads(found.group(1)), ensure_ascii=False)


@pytest.fixture
def teacher_client(client, course_teacher):
    client.force_login(course_teacher)
    return client


def test_admin_allows_wagtails_inline_scripts_and_the_rest_of_the_site_does_not(
    teacher_client, content
):
    admin = directives(
        teacher_client.get(f"/admin/pages/{content.page.id}/")["Content-Security-Policy"]
    )
    assert "'unsafe-inline'" in admin["script-src"]
    # The rest of the site's policy still applies to the admin.
    assert admin["object-src"] == ["'none'"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in admin["default-src"]

    anonymous = directives(Client().get("/admin/login/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in anonymous["script-src"]

    for path in ("/dashboard/", "/accounts/login/", content.page.url):
        site = directives(teacher_client.get(path)["Content-Security-Policy"])
        assert "'unsafe-inline'" not in site["script-src"], path


def test_no_gravatar_anywhere_in_the_admin(teacher_client, content):
    for path in (f"/admin/pages/{content.page.id}/", "/admin/account/"):
        response = teacher_client.get(path)
        assert response.status_code == 200
        assert "gravatar" not in response.content.decode().lower(), path


def test_admin_is_branded_lophoc(teacher_client, content):
    html = teacher_client.get(f"/admin/pages/{content.page.id}/").content.decode()
    assert re.search(r"<title>[^<]*- Lophoc</title>", html)
    assert "wagtailadmin/images/favicon.ico" not in html
    assert "lms/favicon.svg" in html
    assert "cms/wagtail_admin.css" in html  # Lophoc's colours
    assert 'class="lophoc-logo' in html
    assert 'aria-label="Wagtail"' not in html
    login = Client().get("/admin/login/").content.decode()
    assert 'class="lophoc-logo' in login and "Sign in to Wagtail" not in login
    assert Site.objects.get(is_default_site=True).site_name == "Lophoc"


def test_sidebar_leads_back_to_lophoc(teacher_client, content):
    props = sidebar_props(teacher_client.get(f"/admin/pages/{content.page.id}/").content.decode())
    assert '"/dashboard/"' in props
    assert "Back to Lophoc" in props
    # Wagtail's own help menu (what's new in Wagtail, its guide) is not a teacher's.
    assert "What's new in Wagtail" not in props and '"help"' not in props


def test_teacher_of_one_course_lands_on_its_chapters(teacher_client, content):
    response = teacher_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{content.page.id}/"


def test_teacher_of_several_courses_and_school_admins_see_the_dashboard(
    client, content, school, course_teacher
):
    second = course_with_lessons(school=school, modules=1, lessons_per_module=1)
    enrol(second.course, course_teacher, Enrollment.Role.TEACHER)
    client.force_login(course_teacher)
    assert client.get("/admin/").status_code == 200

    admin = member(school, "teacher")
    membership_grant(user=admin, school=school, role="admin")
    client.force_login(admin)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Lophoc's lesson editor" in dashboard.content.decode()  # Wagtail's welcome


def test_a_chapter_opens_its_lessons_and_a_lesson_its_editor(teacher_client, content):
    module, lesson = content.modules[0], content.lessons[0]
    course_listing = teacher_client.get(f"/admin/pages/{content.page.id}/").content.decode()
    assert re.search(
        rf'<a href="/admin/pages/{module.id}/"[^>]*data-testid="explore-title"', course_listing
    )
    module_listing = teacher_client.get(f"/admin/pages/{module.id}/").content.decode()
    # The chapter's own edit form stays one click away, in its listing's header.
    assert f'href="/admin/pages/{module.id}/edit/"' in module_listing
    assert re.search(
        rf'<a href="/admin/pages/{lesson.id}/edit/" title="[^"]*">\s*<span id="page_{lesson.id}_',
        module_listing,
    )


def test_the_editor_links_to_the_course_in_lophoc(teacher_client, content):
    lesson = content.lessons[0]
    html = teacher_client.get(f"/admin/pages/{lesson.id}/edit/").content.decode()
    block = re.search(r'data-testid="lophoc-course-link">(.*?)</p>', html, re.S).group(1)
    assert f'href="{content.page.url}"' in block
    assert f'href="{lesson.url}"' in block
    assert "Toán" in block or content.page.title in block


def test_a_student_opening_the_admin_gets_a_page_not_a_redirect_loop(client, member_student):
    client.force_login(member_student)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == []
    assert "No access to the lesson editor" in response.content.decode()
    # Signed-out visitors are still sent to sign in.
    response = Client().get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# What a Vietnamese teacher reads, page by page; none of the English originals may show.
VIETNAMESE = {
    "explorer": (
        ["Cập nhật lúc", "Loại", "Trạng thái", "đã xuất bản", "Bài học", "Trang 1 / 1"],
        [">Updated<", ">Status<", ">live<", "Page 1 of 1"],
    ),
    "editor": (
        [
            "Lưu bản nháp",
            "Xuất bản",
            "Ngừng xuất bản",
            "Thao tác khác",
            "Nội dung",
            "Quảng bá",
            "Tiêu đề trang như bạn muốn mọi người nhìn thấy",
            "Lịch sử",
        ],
        ["Save draft", ">Publish<", "Unpublish", "More actions", ">Promote<", "as you'd like"],
    ),
    "images": (["Thêm ảnh", "Sắp xếp theo"], ["Add an image", "Sort by"]),
    "documents": (["Thêm tài liệu"], ["Add a document"]),
}


def test_admin_reads_in_vietnamese_for_a_vietnamese_teacher(content, course_teacher):
    course_teacher.preferred_language = "vi"
    course_teacher.save(update_fields=["preferred_language"])
    client = Client(headers={"accept-language": "vi"})
    client.force_login(course_teacher)
    paths = {
        "explorer": f"/admin/pages/{content.modules[0].id}/",
        "editor": f"/admin/pages/{content.lessons[0].id}/edit/",
        "images": "/admin/images/",
        "documents": "/admin/documents/",
    }
    for name, path in paths.items():
        html = client.get(path).content.decode()
        wanted, english = VIETNAMESE[name]
        missing = [text for text in wanted if text not in html]
        shown = [text for text in english if text in html]
        assert not missing and not shown, (name, missing, shown)
    # The editor's JavaScript strings (StreamField, rich text, comments) too.
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for text in ("Nhân bản", "Chèn một khối", "Chuyển lên", "Thêm bình luận"):
        assert json.dumps(text) in catalogue or f'"{text}"' in catalogue, text


def explorer_queries(client, page_id: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/admin/pages/{page_id}/").status_code == 200
    return len(queries)


def test_explorer_queries_do_not_grow_with_the_chapters(client, school):
    teacher = member(school, "teacher")
    small = course_with_lessons(school=school, modules=2, lessons_per_module=1)
    large = course_with_lessons(school=school, modules=8, lessons_per_module=1)
    for content in (small, large):
        enrol(content.course, teacher, Enrollment.Role.TEACHER)
    client.force_login(teacher)
    explorer_queries(client, small.page.id)  # warm the content type cache
    assert explorer_queries(client, small.page.id) == explorer_queries(client, large.page.id)


@pytest.mark.parametrize(
    ("storage", "origins"),
    [
        ({"BACKEND": "django.core.files.storage.FileSystemStorage"}, []),
        (
            {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"endpoint_url": "https://s3.school.vn:9000/x", "bucket_name": "b"},
            },
            ["https://s3.school.vn:9000"],
        ),
        (
            {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"custom_domain": "cdn.vn"}},
            ["https://cdn.vn"],
        ),
        ({"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {}}, ["https://*.amazonaws.com"]),
    ],
)
def test_admin_shows_images_from_where_files_are_stored(settings, storage, origins):
    from cms.wagtail_admin import admin_csp_update

    settings.STORAGES = {**settings.STORAGES, "default": storage}
    update = admin_csp_update()
    assert update.get("img-src", []) == origins
    assert update["script-src"] == ["'unsafe-inline'"]
