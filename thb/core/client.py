"""The client's address, the same for the audit log and the login pause.

Without a proxy it is REMOTE_ADDR. Behind THB_PROXY_COUNT reverse proxies, each of
which appends the address it saw to X-Forwarded-For, the client is the entry that
many places from the right: entries further left were written by the client and
cannot be trusted."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies: int = getattr(settings, "THB_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
