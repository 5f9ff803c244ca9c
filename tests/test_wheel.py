"""The built wheel works the moment it is installed: outside the checkout, offline, it loads the bundled release.

The wheel is built from this checkout (no network: ``--no-build-isolation``) and installed
alone into a fresh virtual environment; the libraries it depends on are made visible from
the test environment's site-packages by a ``.pth`` line (which does not process that
folder's own ``.pth`` files, so the checkout's editable install stays out). The release host
points at a port where nothing listens and the cache is empty.
"""

from __future__ import annotations

import json
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding only the kzdata wheel."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(wheels.glob("kzdata-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    dependencies = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (Path(target) / "kzdata_test_dependencies.pth").write_text("\n".join(dict.fromkeys(dependencies)) + "\n")
    return python


def run(python: Path, code: str, tmp_path: Path) -> str:
    env = {"KZDATA_BASE_URL": "http://127.0.0.1:9/", "KZDATA_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [str(python), "-c", code], check=False, cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def latest_release() -> Path:
    exports = ROOT / "exports"
    return exports / f"v{json.loads((exports / 'index.json').read_text(encoding='utf-8'))['latest']}"


def test_load_claims_offline_from_any_directory(installed: Path, tmp_path: Path) -> None:
    out = run(installed, "import kzdata; print(kzdata.__file__); print(kzdata.load('claims').num_rows)", tmp_path)
    location, rows = out.split()
    assert str(ROOT) not in location  # the wheel's kzdata, not the checkout's
    expected = len((latest_release() / "claims.jsonl").read_text(encoding="utf-8").splitlines())
    assert int(rows) == expected


def test_pandas_types_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "import kzdata\n"
        "df = kzdata.load('claims', as_='pandas')\n"
        "print(df['as_of'].dtype, df['stated_on'].dtype)\n"
        "print('|'.join(df['predicate'].cat.categories))\n"
        "from kzdata.records.vocab import Predicate\n"
        "print('|'.join(p.value for p in Predicate))\n"
    )
    dates, categories, vocabulary = run(installed, code, tmp_path).splitlines()
    assert dates.split() == ["datetime64[ms]", "datetime64[ms]"]
    assert categories == vocabulary
