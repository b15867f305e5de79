"""Running the `thb` command in a fresh process, as an operator would, with THB's
settings taken only from the environment the test gives (none inherited)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_thb(
    env_changes: dict[str, str],
    *args: str,
    timeout: int = 120,
    keep_database_url: bool = False,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THB_")}
    if not keep_database_url:
        env.pop("DATABASE_URL", None)
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-m", "thb", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
