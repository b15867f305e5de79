"""The `justice` section of a country profile (thb/profiles/<country>/justice.yaml)."""

from __future__ import annotations

from thb.profiles.schema_base import Strict


class JusticeSection(Strict):
    pass
