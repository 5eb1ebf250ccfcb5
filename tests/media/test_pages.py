"""The owner's files page and the local download view."""

from media import services
from media.models import Purpose
from tests.factories.lms import member

from .conftest import pdf_bytes


def verified_file(user, school, sender, name="Đề cương.pdf"):
    data = pdf_bytes(3000)
    slot = services.upload_slot_create(
        by=user,
        school=school,
        purpose=Purpose.OTHER,
        name=name,
        size=len(data),
        content_type="application/pdf",
    )
    sender.post(slot, data)
    return services.upload_complete(by=user, file_id=slot["file_id"]), data


def test_the_page_lists_own_files_only_and_needs_sign_in(
    local_storage, client, student, school, sender
):
    mine, _data = verified_file(student, school, sender)
    verified_file(member(school, "student"), school, sender, name="someone-else.pdf")
    assert client.get("/files/").status_code == 302
    client.force_login(student)
    page = client.get("/files/").content.decode()
    assert "Đề cương.pdf" in page and "someone-else.pdf" not in page
    assert "media/upload.js" in page


def test_local_download_is_an_attachment_that_is_never_sniffed(
    local_storage, client, student, school, sender
):
    file, data = verified_file(student, school, sender)
    client.force_login(student)
    link = client.get(f"/files/{file.pk}/download/")
    assert link.status_code == 302
    answer = client.get(link["Location"])
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == data
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%C4%90%E1%BB%81%20c%C6%B0%C6%A1ng.pdf" in answer["Content-Disposition"]
    other = member(school, "student")
    client.force_login(other)
    assert client.get(f"/files/{file.pk}/download/").status_code == 404


def test_a_tampered_download_link_is_refused(local_storage, client, student, school, sender):
    file, _data = verified_file(student, school, sender)
    url = services.download_url(file=file)
    assert client.get(url[:-3] + "xx/").status_code == 403


def test_a_broken_multipart_body_gets_a_400(local_storage, client, student, school):
    slot = services.upload_slot_create(
        by=student,
        school=school,
        purpose=Purpose.OTHER,
        name="a.pdf",
        size=100,
        content_type="application/pdf",
    )
    fields = slot["fields"]
    # The connection dropped in the middle of the file: no closing boundary, 40 of 100 bytes.
    body = (
        f'--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\n{fields["key"]}\r\n'
        '--xyz\r\nContent-Disposition: form-data; name="Content-Type"\r\n\r\n'
        f"{fields['Content-Type']}\r\n"
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
    ).encode() + pdf_bytes(40)
    answer = client.generic(
        "POST", slot["url"], body, content_type="multipart/form-data; boundary=xyz"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"]
    assert services.upload_parts(by=student, file_id=slot["file_id"])["done"] == []


def test_with_s3_the_page_lets_the_browser_reach_the_storage(s3_storage, client, student):
    client.force_login(student)
    policy = client.get("/files/")["Content-Security-Policy"]
    connect = next(d for d in policy.split(";") if d.strip().startswith("connect-src"))
    assert s3_storage["endpoint_url"] in connect


def test_admin_lists_and_shows_stored_files(local_storage, client, student, school, sender):
    from lms.models import User

    file, _data = verified_file(student, school, sender)
    staff = User.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    client.force_login(staff)
    assert client.get("/django-admin/media/storedfile/").status_code == 200
    detail = client.get(f"/django-admin/media/storedfile/{file.pk}/change/")
    assert detail.status_code == 200 and file.sha256 in detail.content.decode()


def test_the_page_speaks_vietnamese(local_storage, student):
    from django.test import Client

    browser = Client(headers={"accept-language": "vi"})
    browser.force_login(student)
    student.preferred_language = "vi"
    student.save(update_fields=["preferred_language"])
    page = browser.get("/files/").content.decode()
    assert "Tệp của tôi" in page and "Đang tải lên {name}… {percent}" in page
