"""What a web process does once it has started, before its first request."""

from __future__ import annotations

import gc


def settle() -> None:
    """Load what every request reads (the URL configuration, with every app's views and
    forms, and the country profile), then take the objects loaded so far out of the
    cyclic garbage collector's reach (`gc.freeze`).

    They live as long as the process, but without this every full collection walks
    them all: about 170 000 objects, a pause of 50-120 ms that lands on one request in
    a few dozen (measured on the case list; docs/performance.md). Frozen objects are
    still freed by reference counting; only cycles among them are never collected,
    which for objects kept for the life of the process changes nothing."""
    from django.urls import get_resolver

    from thb.profiles import get_profile

    get_resolver().url_patterns  # noqa: B018  (imports every app's URLs and views)
    get_profile()
    gc.collect()
    gc.freeze()
