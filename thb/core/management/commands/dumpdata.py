"""`thb dumpdata`, refusing models with encrypted fields before it writes anything.

Django's serialisers would write those fields decrypted, in plain text. The refusal
comes first, naming the models, so nothing is half-written; `thb backup` is the copy
that keeps the ciphertext. (EncryptedTextField refuses serialisation too, for any
other serialiser.)"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.commands.dumpdata import Command as DjangoDumpData
from django.db import models


def _selected(labels: tuple[str, ...], excluded: list[str]) -> list[type[models.Model]]:
    chosen: list[type[models.Model]] = []
    for label in labels or [c.label for c in apps.get_app_configs()]:
        try:
            if "." in label:
                chosen.append(apps.get_model(label))
            else:
                chosen.extend(apps.get_app_config(label).get_models())
        except (LookupError, ValueError):
            continue  # Django's own command names the unknown label
    return [
        m
        for m in chosen
        if m._meta.app_label not in excluded
        and m._meta.label not in excluded
        and m._meta.label_lower not in {e.lower() for e in excluded}
    ]


class Command(DjangoDumpData):
    def handle(self, *app_labels: str, **options: Any) -> None:
        encrypted = [
            m._meta.label
            for m in _selected(app_labels, options.get("exclude") or [])
            if any(getattr(f, "holds_ciphertext", False) for f in m._meta.concrete_fields)
        ]
        if encrypted:
            raise CommandError(
                f"{', '.join(encrypted)} hold encrypted identifying data, which dumpdata "
                "would write in plain text. Use `thb backup PATH` (keeps the ciphertext), "
                "or leave them out: "
                + " ".join(f"--exclude {label.lower()}" for label in encrypted)
            )
        super().handle(*app_labels, **options)
