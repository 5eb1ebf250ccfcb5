"""A phone-sized browser uploads a PDF through the owner's page: progress, drops, resume."""

import hashlib

import pytest

from media.models import StoredFile

from .conftest import MiB, pdf_bytes

PART = 5 * MiB

# Collects every text the upload status line shows, so progress can be asserted afterwards.
RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(function () {
  var node = document.querySelector('.upload-status');
  if (node && node.textContent) window.__statuses.push(node.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture
def phone(browser, live_server, settings, tmp_path, student, password):
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    settings.MEDIA_MULTIPART_THRESHOLD = PART
    settings.MEDIA_PART_SIZE = PART
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.add_init_script(RECORD_STATUS)
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("input[name=username]", student.email)
    tab.fill("input[name=password]", password)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/dashboard/")
    tab.base = live_server.url
    yield tab
    context.close()


def a_pdf(tmp_path, size, name="Bài kiểm tra.pdf"):
    data = pdf_bytes(size)
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def wait_for_done(tab):
    tab.wait_for_selector("[data-upload][data-state=done]")
    return tab.locator(".upload-status").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pdf_uploads_with_progress_and_survives_a_dropped_part(phone, tmp_path, student):
    path, data = a_pdf(tmp_path, 2 * PART + 4321)
    calls = []

    def drop_first_try_of_part_two(route):
        calls.append(route.request.url)
        if len(calls) == 2:
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/files/local/part/**", drop_first_try_of_part_two)
    phone.goto(f"{phone.base}/files/")
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    phone.set_input_files("#upload-input", str(path))

    assert "is uploaded and checked" in wait_for_done(phone)
    statuses = phone.evaluate("window.__statuses")
    assert any("Connection lost" in text for text in statuses)
    percents = [int(t.rsplit(" ", 1)[-1].rstrip("%")) for t in statuses if "Uploading" in t]
    assert any(0 < p < 100 for p in percents), statuses
    assert len(calls) == 4  # three parts, one of them twice
    file = StoredFile.objects.get(owner=student)
    assert file.state == "verified" and file.name == "Bài kiểm tra.pdf"
    assert file.sha256 == hashlib.sha256(data).hexdigest()
    phone.wait_for_selector("[data-testid=file-list]")
    assert "Bài kiểm tra.pdf" in phone.locator("[data-testid=file-list]").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_upload_resumes_after_a_reload_sending_only_the_missing_parts(phone, tmp_path, student):
    path, data = a_pdf(tmp_path, 2 * PART + 10)
    sent = []

    def lose_part_two(route):
        sent.append(route.request.url)
        if len(sent) >= 2:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route("**/files/local/part/**", lose_part_two)
    phone.goto(f"{phone.base}/files/")
    phone.set_input_files("#upload-input", str(path))
    phone.locator(".upload-status", has_text="Connection lost").wait_for()
    # The tab is reloaded (or closed and opened again) in the middle of the upload.
    phone.unroute("**/files/local/part/**")
    first_round = len(sent)
    resumed = []
    phone.route(
        "**/files/local/part/**",
        lambda route: (resumed.append(route.request.url), route.continue_()),
    )
    phone.reload()
    phone.set_input_files("#upload-input", str(path))

    assert "is uploaded and checked" in wait_for_done(phone)
    assert first_round >= 2 and len(resumed) == 2  # parts 2 and 3 only
    file = StoredFile.objects.get(owner=student)
    assert file.sha256 == hashlib.sha256(data).hexdigest()
    assert phone.evaluate("Object.keys(localStorage).length") == 0


@pytest.mark.browser
@pytest.mark.s3
@pytest.mark.django_db(transaction=True)
def test_the_browser_uploads_straight_to_s3_across_origins(
    phone, s3_storage, tmp_path, student, live_server
):
    s3_storage["client"].put_bucket_cors(
        Bucket=s3_storage["bucket_name"],
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [live_server.url],
                    "AllowedMethods": ["GET", "PUT", "POST"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )
    small, small_data = a_pdf(tmp_path, 200_000, name="nhỏ.pdf")
    large, large_data = a_pdf(tmp_path, PART + 999, name="lớn.pdf")
    dropped = []

    def drop_part_two_once(route):
        if "partNumber=2" in route.request.url and not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route(f"{s3_storage['endpoint_url']}/**", drop_part_two_once)
    phone.goto(f"{phone.base}/files/")
    phone.set_input_files("#upload-input", str(small))
    assert "is uploaded and checked" in wait_for_done(phone)
    phone.wait_for_selector("[data-testid=file-list]")
    phone.set_input_files("#upload-input", str(large))
    assert "is uploaded and checked" in wait_for_done(phone)

    assert dropped, "the second part was never sent to S3"
    files = {f.name: f for f in StoredFile.objects.filter(owner=student)}
    assert files["nhỏ.pdf"].sha256 == hashlib.sha256(small_data).hexdigest()
    assert files["lớn.pdf"].sha256 == hashlib.sha256(large_data).hexdigest()
    assert all(f.state == "verified" for f in files.values())
