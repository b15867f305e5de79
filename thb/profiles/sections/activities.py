"""The `activities` section of a country profile (thb/profiles/<country>/activities.yaml)."""

from __future__ import annotations

from thb.profiles.schema_base import Strict


class ActivitiesSection(Strict):
    pass
