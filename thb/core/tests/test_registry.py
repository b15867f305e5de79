"""The one registry: apps declare their extension points in AppConfig.ready()."""

import pytest

from thb.core.registry import Registry, register_demo, registry


def test_every_domain_app_declared_its_demo_in_installed_apps_order():
    assert [app for app, _load in registry.demos] == [
        "victims",
        "screening",
        "returns",  # before support: its return costs count in the year's spending
        "support",
        "residence",
        "justice",
        "activities",
        "interop",
        "referrals",
        "commission",
        "linkage",
    ]


def test_a_demo_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr("thb.core.registry.registry", Registry())
    register_demo("victims", lambda ctx: None)
    with pytest.raises(RuntimeError, match="registered twice"):
        register_demo("victims", lambda ctx: None)


def test_import_types_case_links_and_labels_are_declared():
    from thb.interop.registry import registered

    assert {"detection_records", "victim_cases"} <= set(registered())
    # screenings, return plans, support plans, residence tracks, referrals, commission
    assert len(registry.case_links) == 6
    assert registry.event_labels
