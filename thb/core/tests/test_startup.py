"""A web process settles before its first request: the URLs and the profile are loaded
and the objects loaded so far are out of the cyclic collector's reach."""

from __future__ import annotations

import gc

from thb.core.startup import settle


def test_settle_freezes_what_is_loaded() -> None:
    before = gc.get_freeze_count()
    try:
        settle()
        assert gc.get_freeze_count() > max(before, 10_000)
        # A full collection no longer walks them: what it sees is what came after.
        assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
