"""The real visitor behind the proxies: rate limits and lockouts count people, not the proxy (#21)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory

from portal.core.client_ip import client_ip

PROXY = "10.0.0.5"


def address(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Behind our proxy: the address it appended.
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # A forged entry written by the client stays to the left and is ignored.
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two trusted hops (a CDN on the private network, then the load balancer).
        (PROXY, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Straight to the app server from the Internet: the header is the client's own word.
        ("198.51.100.4", "1.2.3.4", "198.51.100.4"),
        ("198.51.100.4", None, "198.51.100.4"),
        # The proxy sent nothing usable: the proxy's address, never a made-up one.
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        ("2001:db8::1", "203.0.113.7", "2001:db8::1"),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(remote, forwarded) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert address(PROXY, "203.0.113.7") == PROXY


def test_six_visitors_behind_the_proxy_each_have_their_own_limit(client, portal_site, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for visitor in range(6):
        response = client.post(
            "/fr/newsletter/",
            {"email": f"v{visitor}@example.ma", "language": "fr", "website": ""},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{visitor + 1}",
        )
        assert response.status_code == 200
    assert len(mail.outbox) == 6


def test_a_forged_header_does_not_escape_the_login_lockout(client, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    get_user_model().objects.create_user("editrice", "e@example.ma", "the-right-password-2026")
    answers = [
        client.post(
            "/admin/login/",
            {"username": "editrice", "password": "wrong"},
            REMOTE_ADDR="198.51.100.4",  # gunicorn reached directly, not through the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        ).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT + 2)
    ]
    assert 429 in answers and answers[-1] == 429


def test_one_visitor_cannot_lock_another_out_through_the_proxy(client, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    get_user_model().objects.create_user("editrice", "e@example.ma", "the-right-password-2026")
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            "/admin/login/",
            {"username": "editrice", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    response = client.post(
        "/admin/login/",
        {"username": "editrice", "password": "the-right-password-2026"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302


def test_password_reset_is_rate_limited(client, db):
    get_user_model().objects.create_user("editrice", "editrice@example.ma", "the-right-password-2026")
    for _request in range(8):
        response = client.post("/admin/password_reset/", {"email": "editrice@example.ma"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3  # per account address and hour
    answers = [client.post("/admin/password_reset/", {"email": f"x{n}@example.ma"}).status_code for n in range(4)]
    assert answers[-1] == 429  # per visitor address and hour
    assert "Trop de demandes" in client.post("/admin/password_reset/", {"email": "y@example.ma"}).content.decode()


def test_the_trusted_proxies_default_to_none():
    assert settings.TRUSTED_PROXIES == []
