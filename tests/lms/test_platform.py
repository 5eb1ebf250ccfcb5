"""Health, schema, languages and the production profile."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def operator(db):
    from tests.factories.lms import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.django_db
def test_healthz_reports_each_dependency(client, operator):
    client.force_login(operator)
    response = client.get("/healthz", {"deep": "1"})
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "storage", "broker"}
    assert all(check["ok"] for check in checks.values())


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_down(client):
    saved = dict(connection.settings_dict)
    connection.close()
    from django.conf import settings

    settings.HEALTHZ_TOKEN, token = "monitor-secret", getattr(settings, "HEALTHZ_TOKEN", "")
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/lophoc/db.sqlite3"
    else:
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": 9, "NAME": "nowhere"})
    try:
        public = client.get("/healthz")
        response = client.get(
            "/healthz", {"deep": "1"}, headers={"authorization": "Bearer monitor-secret"}
        )
    finally:
        settings.HEALTHZ_TOKEN = token
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert public.status_code == 503 and public.json() == {"status": "unavailable"}
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings, operator):
    from lms.celery import app

    client.force_login(operator)
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/healthz", {"deep": "1"})
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    text = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/me/" in text and "/api/v1/tokens/" in text


@pytest.mark.django_db
def test_pages_default_to_vietnamese():
    from django.test import Client

    body = Client().get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body


@pytest.mark.django_db
def test_language_switch_sets_english_and_remembers_the_choice(client, student):
    client.force_login(student)
    student.preferred_language = "vi"
    student.save()
    response = client.post("/language/", {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.preferred_language == "en"
    assert '<html lang="en">' in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_users_language_is_used_without_a_cookie(client, student):
    student.preferred_language = "vi"
    student.save()
    client.force_login(student)
    assert "Bảng điều khiển" in client.get("/dashboard/").content.decode()


def test_production_profile_passes_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_PROFILE": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "lophoc.example.edu",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_PROFILE": "production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_public_healthz_is_cheap_and_the_deep_check_is_for_operators(
    client, student, operator, django_assert_max_num_queries, monkeypatch
):
    from lms import health

    storage_checks = []
    monkeypatch.setitem(health.CHECKS, "storage", lambda: storage_checks.append(1))
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    for who in (None, student):
        if who:
            client.force_login(who)
        assert client.get("/healthz", {"deep": "1"}).status_code == 403
    assert storage_checks == []  # nothing was written for them
    client.force_login(operator)
    body = client.get("/healthz", {"deep": "1"}).json()
    assert set(body["checks"]) == {"database", "storage", "broker"} and storage_checks == [1]


def _settings_in(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_requires_a_shared_cache():
    result = _settings_in(
        {
            "DJANGO_PROFILE": "production",
            "SECRET_KEY": "s" * 60,
            "ALLOWED_HOSTS": "lophoc.example.edu",
            "REDIS_URL": "",
        }
    )
    assert result.returncode != 0 and "REDIS_URL must be set" in result.stderr


def test_a_yes_no_setting_with_a_typo_stops_the_start():
    result = _settings_in({"DEBUG": "flase"})
    assert result.returncode != 0 and "'flase' is neither yes nor no" in result.stderr
    assert _settings_in({"DEBUG": "off"}).returncode == 0


@pytest.mark.django_db
def test_an_id_too_long_for_the_database_is_not_found(client, student):
    """A number no 64-bit column holds answers 404 on every backend (SQLite used to overflow)."""
    from tests.factories.courses import CourseFactory, EnrollmentFactory

    course = CourseFactory()
    EnrollmentFactory(course=course, user=student)
    client.force_login(student)
    huge = "9" * 30
    for path in (
        f"/api/v1/courses/{huge}/lessons/",
        f"/api/v1/courses/{huge}/progress/students/",
        f"/courses/{huge}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/api/v1/courses/{course.pk}/lessons/").status_code in (200, 404)
