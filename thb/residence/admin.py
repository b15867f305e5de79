"""Read-only admin views of the residence records: changes go through the services,
which audit them and keep the deadlines right."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thb.residence.models import Deadline, PermitRequest, ResidencePermit, ResidenceTrack


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResidenceTrack)
class ResidenceTrackAdmin(ReadOnly):
    list_display = ["case", "status_granted_on", "reflection_decided_on", "evaluated_on"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnly):
    list_display = ["track", "kind", "due_on", "responsible_institution", "met_on"]
    list_filter = ["kind"]


@admin.register(PermitRequest)
class PermitRequestAdmin(ReadOnly):
    list_display = ["track", "kind", "requested_on", "months"]


@admin.register(ResidencePermit)
class ResidencePermitAdmin(ReadOnly):
    list_display = ["request", "holder", "issued_on", "valid_from", "valid_to"]
