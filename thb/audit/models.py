"""Audit events: append-only and chained with a keyed MAC, so that a removed, inserted,
reordered or altered row shows, and a rewritten chain cannot be re-signed without the
audit key. `thb audit checkpoint` keeps the head outside the database, so that cutting
the newest events off shows too (thb.audit.services)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("create")
    READ = "read", _("read")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("login")
    LOGOUT = "logout", _("logout")
    LOGIN_FAILED = "login_failed", _("failed login")
    DENIED = "denied", _("access denied")


class AuditEvent(models.Model):
    # Position in the chain: 1, 2, 3, ... without gaps (a gap is a deleted event).
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    # PROTECT: the actor's id is part of the signed event, so a user with a trail is
    # deactivated, never deleted (SET_NULL would rewrite, and so break, the chain).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Kept as text too, so the trail survives a user's deletion.
    actor_username = models.CharField(max_length=150, blank=True)
    institution_code = models.CharField(max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    # Never identities: codes, field names and ids only.
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    # Which audit key signed the event (a fingerprint of the derived key, not the key).
    key_id = models.CharField(max_length=16, blank=True)
    # HMAC-SHA256 over every other column, previous_hash included.
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            # The audit page's "who touched this record" query.
            models.Index(fields=["object_type", "object_id"]),
            # The audit page's "what did this user do" query.
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")


class AuditChainHead(models.Model):
    """One row holding the newest event's position and hash; locked while an event is
    appended so that concurrent writers on PostgreSQL extend the chain one at a time."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
