"""Login lockout counts per account and per client address, also behind a proxy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.lms import PASSWORD, member

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _login(client, email, password, ip, **extra):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_guesses_against_one_account_from_changing_addresses_lock_that_account(
    client, school, settings
):
    victim = member(school)
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.email.upper(), "guess", f"203.0.113.{i + 1}")
    response = _login(client, victim.email, PASSWORD, "198.51.100.99")
    assert response.status_code == 429


def test_failures_of_other_people_elsewhere_do_not_lock_an_innocent_account(
    client, school, settings
):
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        other = member(school)
        _login(client, other.email, "typo", f"203.0.113.{i + 1}")
    innocent = member(school)
    assert _login(client, innocent.email, "one typo", "198.51.100.7").status_code == 200
    assert _login(client, innocent.email, PASSWORD, "198.51.100.7").status_code == 302


def test_behind_a_proxy_the_client_address_is_counted_not_the_proxy(client, school, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess{i}@example.test", "x", proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    someone = member(school)
    # Same proxy, another client: not locked out by the guesser.
    response = _login(client, someone.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert response.status_code == 302
    client.logout()
    # The guesser's own address is, even when they send a made-up header of their own (the
    # proxy appends the real address).
    spoofed = "198.51.100.5, 203.0.113.66"
    response = _login(client, someone.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=spoofed)
    assert response.status_code == 429


def test_proxy_count_comes_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings", "PROXY_COUNT": "2"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "lms.authentication.client_ip"]


def test_client_ip_takes_the_entry_our_proxies_wrote(rf, settings):
    from lms.authentication import client_ip

    settings.PROXY_COUNT = 2  # a CDN, then nginx
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 192.0.2.1")
    request.META["REMOTE_ADDR"] = "10.0.0.2"
    assert client_ip(request) == "203.0.113.9"
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
