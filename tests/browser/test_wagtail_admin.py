"""A teacher edits and publishes a lesson in the Wagtail admin, in Vietnamese, and the browser
reports no content security policy violation anywhere on the way (explorer, editor, publishing,
images, documents)."""

import struct
import zlib

import pytest
from wagtail.models import Site

from cms.models import LessonPage
from courses.models import Enrollment
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import PASSWORD, SchoolFactory, member

# Every CSP violation is reported twice: as a console error by Chromium and by this listener,
# which also sees violations a console filter could miss (report-only, workers).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def png_bytes() -> bytes:
    """A valid 2x2 PNG, made here so the test needs no fixture file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x0f\x76\x6e" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def vi_tab(request, browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    width = getattr(request, "param", 1280)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    context.set_default_timeout(20_000)
    context.add_init_script(REPORT_VIOLATIONS)
    tab = context.new_page()
    tab.base_url = live_server.url
    tab.errors = []
    tab.outside_requests = []
    tab.on(
        "console",
        lambda message: message.type == "error" and tab.errors.append(message.text),
    )
    tab.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))

    def watch(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            tab.outside_requests.append(request.url)

    tab.on("request", watch)
    yield tab
    context.close()


def sign_in_to_admin(tab, user) -> None:
    tab.goto(f"{tab.base_url}/accounts/login/?next=/admin/")
    tab.fill("input[name=username]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_url("**/admin/**")


def upload_image(tab, title: str) -> None:
    tab.goto(f"{tab.base_url}/admin/images/add/")
    tab.fill("#id_title", title)
    tab.set_input_files(
        "#id_file", files=[{"name": "do-thi.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_url("**/admin/images/")


def no_csp_errors(tab, where: str) -> None:
    csp = [e for e in tab.errors if "Content Security Policy" in e or "CSP violation" in e]
    assert not csp, f"{where}: {csp}"
    assert not tab.errors, f"{where}: {tab.errors}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("vi_tab", [1280, 360], indirect=True, ids=["desktop", "phone"])
def test_teacher_edits_and_publishes_a_lesson_in_vietnamese_without_csp_errors(vi_tab):
    tab = vi_tab
    school = SchoolFactory()
    teacher = member(school, "teacher", full_name="Lê Thị Lan", preferred_language="vi")
    content = course_with_lessons(school=school, title="Toán 10")
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    module, lesson = content.modules[0], content.lessons[0]

    # Signing in on the way to the admin lands the teacher on the course's chapters.
    sign_in_to_admin(tab, teacher)
    tab.wait_for_url(f"**/admin/pages/{content.page.id}/")
    tab.wait_for_load_state("networkidle")
    no_csp_errors(tab, "explorer")
    assert tab.locator("html").get_attribute("lang") == "vi"
    assert tab.title().endswith("Lophoc")
    assert tab.locator(".lophoc-logo").count() >= 1
    back = tab.locator("#wagtail-sidebar a[href='/dashboard/']")
    back.wait_for(state="attached")
    assert "Quay lại Lophoc" in back.text_content()
    no_csp_errors(tab, "explorer")

    # Images and documents: list, upload into the course's collection.
    upload_image(tab, "Đồ thị")
    tab.locator("img[alt='Đồ thị'], [title='Đồ thị'], :text('Đồ thị')").first.wait_for()
    no_csp_errors(tab, "images")

    tab.goto(f"{tab.base_url}/admin/documents/add/")
    tab.fill("#id_title", "Đề cương")
    tab.set_input_files(
        "#id_file",
        files=[{"name": "de-cuong.txt", "mimeType": "text/plain", "buffer": "Đề cương".encode()}],
    )
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_url("**/admin/documents/")
    tab.get_by_text("Đề cương").first.wait_for()
    no_csp_errors(tab, "documents")

    tab.goto(f"{tab.base_url}/admin/pages/{content.page.id}/")

    # A chapter's title opens its lessons, not its edit form.
    chapter = tab.locator("td.title").get_by_role("link", name=module.title, exact=True)
    assert chapter.get_attribute("href") == f"/admin/pages/{module.id}/"
    chapter.click()
    tab.wait_for_url(f"**/admin/pages/{module.id}/")
    no_csp_errors(tab, "chapter")

    # A lesson's title opens the editor, in Vietnamese, with the way to the course in Lophoc.
    tab.locator("td.title").get_by_role("link", name=lesson.title, exact=True).click()
    tab.wait_for_url(f"**/admin/pages/{lesson.id}/edit/")
    link = tab.get_by_test_id("lophoc-course-link")
    assert link.get_by_role("link", name="Mở khoá học trong Lophoc").get_attribute("href") == (
        content.page.url
    )
    title = tab.locator("#id_title")
    title.fill("Bài 1.1: Phương trình bậc hai")
    # An image from the course's collection, through the chooser.
    tab.get_by_role("button", name="Chèn một khối").last.click()
    tab.get_by_role("option", name="Hình ảnh").click()
    tab.get_by_role("button", name="Chọn một ảnh").click()
    modal = tab.locator(".modal-content")
    modal.get_by_role("link", name="Đồ thị").click()
    modal.wait_for(state="hidden")
    # The preview renders the lesson beside the form.
    tab.get_by_role("button", name="Ẩn/hiện xem trước").click()
    preview = tab.frame_locator("#w-preview-iframe")
    preview.get_by_role("heading", name="Bài 1.1: Phương trình bậc hai").wait_for()
    preview.locator("figure.lesson-figure img").wait_for()
    no_csp_errors(tab, "editor")
    # On a phone the panel covers the form: close it, as a teacher would, to publish.
    tab.get_by_role("button", name="Ẩn/hiện xem trước").click()
    footer = tab.locator("footer")
    footer.get_by_role("button", name="Thao tác khác").click()
    footer.get_by_role("button", name="Xuất bản", exact=True).click()
    tab.wait_for_url(f"**/admin/pages/{module.id}/")
    tab.locator(".messages .success").wait_for()
    assert "đã được xuất bản" in tab.locator(".messages").inner_text()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Bài 1.1: Phương trình bậc hai" and lesson.live
    assert not lesson.has_unpublished_changes
    assert [block.block_type for block in lesson.body][-1] == "image"
    no_csp_errors(tab, "publishing")

    # The site the pages belong to is Lophoc, not "localhost" (made again after a flush).
    assert Site.objects.get(is_default_site=True).site_name == "Lophoc"

    # No avatar fetched from Gravatar (or anything else outside Lophoc) on any of these pages.
    assert not tab.outside_requests, tab.outside_requests


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_images_stored_in_s3_show_in_the_admin_without_csp_errors(vi_tab, s3_storage):
    tab = vi_tab
    school = SchoolFactory()
    teacher = member(school, "teacher", preferred_language="vi")
    content = course_with_lessons(school=school, modules=1, lessons_per_module=1)
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    sign_in_to_admin(tab, teacher)

    upload_image(tab, "Ảnh trên S3")
    thumbnail = tab.locator("img.show-transparency").first
    thumbnail.wait_for()
    assert thumbnail.get_attribute("src").startswith(s3_storage["endpoint_url"])
    tab.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    no_csp_errors(tab, "images from S3")
    # The outside requests are the storage's, and nothing else's.
    assert all(url.startswith(s3_storage["endpoint_url"]) for url in tab.outside_requests)
