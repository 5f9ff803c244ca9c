"""Build hook: the wheel bundles the latest release, so that ``kzdata.load`` works offline after install.

The latest release is the one ``exports/index.json`` names (``exports/vX.Y.Z/``); it is copied
into the wheel as ``kzdata/bundled/vX.Y.Z/``, where :mod:`kzdata.release.store` finds it. A
checkout without releases builds a wheel without a bundled release.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleLatestRelease(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        exports = Path(self.root) / "exports"
        try:
            latest = json.loads((exports / "index.json").read_text(encoding="utf-8"))["latest"]
        except (OSError, ValueError, KeyError, TypeError):
            return
        folder = exports / f"v{latest}"
        if (folder / "SHA256SUMS").is_file():
            build_data["force_include"][str(folder)] = f"kzdata/bundled/{folder.name}"
