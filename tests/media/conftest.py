"""Storage set-ups for the media tests: local files, or the real S3 server (SeaweedFS)."""

import os

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media.backends import get_backend

MiB = 1024 * 1024


def pdf_bytes(size: int) -> bytes:
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(size - len(head))


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    return None


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request, settings, tmp_path):
    """Each test using this runs twice: on local files and on the S3 server."""
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


@pytest.fixture
def backend(storage):
    return get_backend()


class Sender:
    """Sends bytes where a slot says, as a browser would: over HTTP to S3, or to the app."""

    def __init__(self):
        self.client = Client()

    def post(self, slot: dict, data: bytes, filename: str = "upload.bin") -> int:
        if slot["url"].startswith("http"):
            answer = requests.post(
                slot["url"], data=slot["fields"], files={"file": (filename, data)}, timeout=60
            )
            return answer.status_code
        form = {**slot["fields"], "file": SimpleUploadedFile(filename, data)}
        return self.client.post(slot["url"], form).status_code

    def put(self, url: str, data: bytes) -> int:
        if url.startswith("http"):
            return requests.put(url, data=data, timeout=60).status_code
        answer = self.client.generic("PUT", url, data, content_type="application/octet-stream")
        return answer.status_code

    def get(self, url: str):
        """(status, body, headers) of a download link."""
        if url.startswith("http"):
            answer = requests.get(url, timeout=60)
            return answer.status_code, answer.content, answer.headers
        answer = self.client.get(url)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        return answer.status_code, body, answer.headers


@pytest.fixture
def sender():
    return Sender()
