"""Model helpers shared by the domain apps."""

from __future__ import annotations

from django.db import models


def external_id_unique(scope: str, name: str) -> models.UniqueConstraint:
    """An external id (the institution's own id of an imported record) is unique within
    its scope (the institution or the proceeding) where it is given; blank ids repeat."""
    return models.UniqueConstraint(
        fields=[scope, "external_id"], condition=~models.Q(external_id=""), name=name
    )
