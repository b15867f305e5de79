"""The `residence` section of a country profile (thb/profiles/<country>/residence.yaml)."""

from __future__ import annotations

from thb.profiles.schema_base import Strict


class ResidenceSection(Strict):
    pass
