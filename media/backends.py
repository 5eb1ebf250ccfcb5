"""Where file bytes live: an S3 service, or local files in the embedded setup.

Both backends hand out the same kinds of URLs (a POST form with fields, PUT URLs for parts, a
GET for downloads) so the browser has one code path. The S3 backend presigns them with boto3;
the local one signs URLs on the app itself (`media.views`) with django.core.signing.
"""

import contextlib
import hashlib
import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.core import signing
from django.core.files.storage import storages
from django.urls import reverse

from . import conf

CHUNK = 1024 * 1024
SIGNING_SALT = "media.local"


def content_disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback for old clients, the real (Vietnamese) name in filename*.
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


class Backend:
    """What media.services needs from a storage. Sizes in bytes, expiry in seconds."""

    def presigned_post(self, key: str, *, size: int, content_type: str, expires: int) -> dict:
        raise NotImplementedError

    def multipart_create(self, key: str, *, content_type: str) -> str:
        raise NotImplementedError

    def part_url(
        self, key: str, upload_id: str, part_number: int, *, size: int, expires: int
    ) -> str:
        """A PUT URL for one part that storage accepts only with exactly `size` bytes."""
        raise NotImplementedError

    def list_parts(self, key: str, upload_id: str, sizes: dict[int, int] | None = None) -> dict:
        """{part number: {"etag", "size"}} of the parts storage holds; {} if the upload is gone.

        `sizes` (part number: expected size) picks among several copies of one part.
        """
        raise NotImplementedError

    def multipart_complete(self, key: str, upload_id: str, parts: dict[int, dict]) -> None:
        raise NotImplementedError

    def multipart_abort(self, key: str, upload_id: str) -> None:
        raise NotImplementedError

    def size(self, key: str) -> int | None:
        """The object's size, or None when there is no such object."""
        raise NotImplementedError

    def read_range(self, key: str, *, head: int = 0, tail: int = 0) -> bytes:
        """The first `head` bytes, or the last `tail` bytes."""
        raise NotImplementedError

    def chunks(self, key: str) -> Iterator[bytes]:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def move(self, source: str, target: str) -> None:
        raise NotImplementedError

    def write_object(self, key: str, chunks, *, content_type: str = "") -> None:
        """Store bytes the server made itself (archives, demo data), from an iterable of chunks."""
        raise NotImplementedError

    def delete_older_than(self, prefix: str, cutoff: float) -> int:
        """Delete the objects under `prefix` last written before `cutoff` (a Unix time)."""
        raise NotImplementedError

    def download_url(self, key: str, *, filename: str, content_type: str, expires: int) -> str:
        raise NotImplementedError

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks(key):
            digest.update(chunk)
        return digest.hexdigest()


class S3Backend(Backend):
    def __init__(self, storage):
        self.client = storage.connection.meta.client
        self.bucket = storage.bucket_name

    def presigned_post(self, key, *, size, content_type, expires):
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"key": key},
                ["content-length-range", size, size],
                {"Content-Type": content_type},
            ],
            ExpiresIn=expires,
        )
        return {"url": post["url"], "fields": post["fields"]}

    def multipart_create(self, key, *, content_type):
        answer = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=key, ContentType=content_type
        )
        return answer["UploadId"]

    def part_url(self, key, upload_id, part_number, *, size, expires):
        return self.client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "UploadId": upload_id,
                "PartNumber": part_number,
                # Signed as a header: a PUT of any other length fails the signature check.
                "ContentLength": size,
            },
            ExpiresIn=expires,
        )

    def list_parts(self, key, upload_id, sizes=None):
        # SeaweedFS lists every copy of a part sent twice (a resent, formerly cut-short part),
        # so the copy of the expected size wins.
        sizes = sizes or {}
        parts: dict[int, dict] = {}
        marker = 0
        while True:
            try:
                answer = self.client.list_parts(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumberMarker=marker
                )
            except self.client.exceptions.NoSuchUpload:
                return {}
            for part in answer.get("Parts", []):
                number = part["PartNumber"]
                if parts.get(number, {}).get("size") != sizes.get(number):
                    parts[number] = {"etag": part["ETag"], "size": part["Size"]}
            if not answer.get("IsTruncated"):
                return parts
            marker = answer["NextPartNumberMarker"]

    def multipart_complete(self, key, upload_id, parts):
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [
                    {"PartNumber": number, "ETag": parts[number]["etag"]}
                    for number in sorted(parts)
                ]
            },
        )

    def multipart_abort(self, key, upload_id):
        with contextlib.suppress(self.client.exceptions.NoSuchUpload):
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def size(self, key):
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise

    def read_range(self, key, *, head=0, tail=0):
        wanted = f"bytes=0-{head - 1}" if head else f"bytes=-{tail}"
        return self.client.get_object(Bucket=self.bucket, Key=key, Range=wanted)["Body"].read()

    def chunks(self, key):
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        yield from body.iter_chunks(CHUNK)

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def move(self, source, target):
        # One server-side copy (no bytes through the app); files stay under 5 GB, copy's limit.
        self.client.copy_object(
            Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": source}
        )
        self.client.delete_object(Bucket=self.bucket, Key=source)

    def write_object(self, key, chunks, *, content_type=""):
        extra = {"ContentType": content_type} if content_type else {}
        # upload_fileobj streams (multipart above its threshold): no whole file in memory.
        self.client.upload_fileobj(_ChunkReader(chunks), self.bucket, key, ExtraArgs=extra)

    def delete_older_than(self, prefix, cutoff):
        removed = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        for page in pages:
            old = [
                {"Key": item["Key"]}
                for item in page.get("Contents", [])
                if item["LastModified"].timestamp() < cutoff
            ]
            if old:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": old})
                removed += len(old)
        return removed

    def download_url(self, key, *, filename, content_type, expires):
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires,
        )


class _ChunkReader(io.RawIOBase):
    """A read-only file over an iterable of byte chunks, for boto3's upload_fileobj."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self):
        return True

    def readinto(self, target):
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def sign(payload: dict, *, expires: int) -> str:
    return signing.dumps({**payload, "exp": int(time.time()) + expires}, salt=SIGNING_SALT)


def unsign(token: str) -> dict | None:
    """The payload of a token this app signed and that has not expired, else None."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
        return None
    return payload


class LocalBackend(Backend):
    """Files under conf.local_root(); parts of an unfinished upload in `.parts/<upload id>/`."""

    def __init__(self, root: Path | None = None):
        self.root = root or conf.local_root()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("key outside the storage root")
        return path

    def parts_dir(self, upload_id: str) -> Path:
        if not upload_id.isalnum():
            raise ValueError("bad upload id")
        return self.root / ".parts" / upload_id

    def presigned_post(self, key, *, size, content_type, expires):
        token = sign({"k": key, "n": size, "t": content_type}, expires=expires)
        return {
            "url": reverse("media-local-post", args=[token]),
            "fields": {"key": key, "Content-Type": content_type},
        }

    def multipart_create(self, key, *, content_type):
        import secrets

        upload_id = secrets.token_hex(16)
        self.parts_dir(upload_id).mkdir(parents=True, exist_ok=True)
        return upload_id

    def part_url(self, key, upload_id, part_number, *, size, expires):
        token = sign({"k": key, "u": upload_id, "p": part_number, "n": size}, expires=expires)
        return reverse("media-local-part", args=[token])

    def list_parts(self, key, upload_id, sizes=None):
        folder = self.parts_dir(upload_id)
        if not folder.is_dir():
            return {}
        parts = {}
        for path in folder.iterdir():
            if path.name.isdigit():
                parts[int(path.name)] = {"etag": "", "size": path.stat().st_size}
        return parts

    def write_part(self, upload_id: str, part_number: int, chunks) -> None:
        folder = self.parts_dir(upload_id)
        if not folder.is_dir():
            raise FileNotFoundError(upload_id)
        partial = folder / f"{part_number}.partial"
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        # A part appears only once whole, so a dropped connection never leaves half a part.
        partial.replace(folder / str(part_number))

    def write_object(self, key: str, chunks, *, content_type: str = "") -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        partial.replace(path)

    def multipart_complete(self, key, upload_id, parts):
        folder = self.parts_dir(upload_id)

        def pieces():
            for number in sorted(parts):
                with (folder / str(number)).open("rb") as part:
                    while chunk := part.read(CHUNK):
                        yield chunk

        self.write_object(key, pieces())
        shutil.rmtree(folder, ignore_errors=True)

    def multipart_abort(self, key, upload_id):
        shutil.rmtree(self.parts_dir(upload_id), ignore_errors=True)

    def size(self, key):
        path = self.path(key)
        return path.stat().st_size if path.is_file() else None

    def read_range(self, key, *, head=0, tail=0):
        with self.path(key).open("rb") as source:
            if head:
                return source.read(head)
            size = source.seek(0, 2)
            source.seek(max(0, size - tail))
            return source.read()

    def chunks(self, key):
        with self.path(key).open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def move(self, source, target):
        destination = self.path(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.path(source).replace(destination)

    def delete_older_than(self, prefix, cutoff):
        folder = self.root / prefix
        removed = 0
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    def download_url(self, key, *, filename, content_type, expires):
        token = sign({"k": key, "f": filename, "t": content_type}, expires=expires)
        return reverse("media-local-download", args=[token])


def get_backend() -> Backend:
    storage = storages["default"]
    from storages.backends.s3 import S3Storage

    if isinstance(storage, S3Storage):
        return S3Backend(storage)
    return LocalBackend()
