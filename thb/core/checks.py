"""System checks of THB's own settings (run by every `thb check`, `--deploy` too, and
at the start of `thb serve` and `migrate`)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from thb.lib.crypto import KeyError_, parse_keys, validate_keys

KEY_RINGS = [
    # (label, environment setting, key-file setting, check id)
    ("Field-encryption", "THB_FIELD_KEYS", "THB_FIELD_KEY_FILE", "thb.E001"),
    ("Audit", "THB_AUDIT_KEYS", "THB_AUDIT_KEY_FILE", "thb.E002"),
]


@register("security")
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every configured key parses; production has keys; key files are private."""
    messages: list[CheckMessage] = []
    for label, env_name, file_setting, check_id in KEY_RINGS:
        value: str = getattr(settings, env_name)
        path = Path(getattr(settings, file_setting))
        try:
            if value.strip():
                validate_keys(parse_keys(value, separator=","), label=label)
            elif path.exists():
                validate_keys(parse_keys(path.read_text(encoding="ascii")), label=label)
                if stat.S_IMODE(path.stat().st_mode) & 0o077:
                    messages.append(
                        Warning(
                            f"The {label.lower()} key file {path} is readable by others.",
                            hint=f"chmod 600 {path}",
                            id="thb.W001",
                        )
                    )
            elif settings.THB_PRODUCTION:
                raise KeyError_(f"No {label.lower()} key: set {env_name} or {file_setting}")
        except (KeyError_, OSError, UnicodeDecodeError) as error:
            messages.append(
                Error(
                    f"{env_name if value.strip() else path}: {error}",
                    hint="Generate a key with `thb genkey`; keep the old keys after it "
                    "while data made with them exists.",
                    id=check_id,
                )
            )
    return messages
