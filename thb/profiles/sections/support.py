"""The `support` section of a country profile (thb/profiles/<country>/support.yaml)."""

from __future__ import annotations

from thb.profiles.schema_base import Strict


class SupportSection(Strict):
    pass
