"""Refresh the Pyodide runtime and the wheels that the site's live mode serves itself.

The live mode (JupyterLite with the Pyodide kernel) must boot with no network, so the site
serves Pyodide's core and every pure-Python wheel the kernel needs to start, install the course
wheel and show a widget. Pyodide's compiled packages (numpy, scipy, matplotlib, ...) are on
neither PyPI nor npm as Pyodide builds: the lock file written here points them at Pyodide's CDN,
at the same pinned version, so on the published site they load from there when a cell needs them.

Inputs, fetched with the ordinary clients (npm registry, PyPI)::

    npm pack pyodide@314.0.6                                    # the core: wasm, stdlib, lock file
    pip download --no-deps --only-binary=:all: --python-version 3.14 -d BOOT  NAME==VERSION ...
    pip download --no-deps --only-binary=:all: -c constraints.txt -d PYPI  comm pint flexcache \
        flexparser ipywidgets jupyterlab_widgets

where the BOOT names are the lock file's pure-Python packages the kernel loads at start
(``python book/_vendor/vendor_pyodide.py --boot-list pyodide-314.0.6.tgz`` prints them, pinned).
Then::

    python book/_vendor/vendor_pyodide.py pyodide-314.0.6.tgz BOOT PYPI

writes ``book/_lite/static/pyodide/`` (core, boot wheels, rewritten ``pyodide-lock.json``) and
``book/_lite/pypi/`` (wheels piplite installs by name).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tarfile
from pathlib import Path

PYODIDE_VERSION = "314.0.6"
CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
LITE = Path(__file__).resolve().parents[1] / "_lite"
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "package.json")
# what the Pyodide kernel loads before the first cell runs, and what pint needs
BOOT_ROOTS = ("micropip", "packaging", "ipython", "jedi", "platformdirs", "typing-extensions")


def _lock_from(tarball: Path) -> dict:
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile("package/pyodide-lock.json"))


def boot_packages(lock: dict) -> list[str]:
    packages = lock["packages"]
    seen: list[str] = []

    def visit(name: str) -> None:
        name = name.lower().replace("_", "-")
        if name not in seen:
            seen.append(name)
            for dep in packages[name]["depends"]:
                visit(dep)

    for root in BOOT_ROOTS:
        visit(root)
    return sorted(f"{n}=={packages[n]['version']}" for n in seen)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor(tarball: Path, boot: Path, pypi: Path) -> None:
    target = LITE / "static" / "pyodide"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        for name in CORE_FILES:
            (target / name).write_bytes(tar.extractfile(f"package/{name}").read())
        lock = json.load(tar.extractfile("package/pyodide-lock.json"))
    local = {}
    for wheel in sorted(boot.glob("*.whl")):
        name = wheel.name.split("-")[0].lower().replace("_", "-")
        local[name] = wheel
        shutil.copyfile(wheel, target / wheel.name)
    missing = [p.split("==")[0] for p in boot_packages(lock) if p.split("==")[0] not in local]
    if missing:
        raise SystemExit(f"boot wheels missing: {missing}")
    for name, record in lock["packages"].items():
        if name in local:
            record["file_name"] = local[name].name
            record["sha256"] = _sha256(local[name])
        else:  # compiled or unused: Pyodide's CDN, same pinned release
            record["file_name"] = CDN + record["file_name"]
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")

    wheels = LITE / "pypi"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir(parents=True)
    for wheel in sorted(pypi.glob("*.whl")):
        shutil.copyfile(wheel, wheels / wheel.name)
    print(f"wrote {target} ({len(local)} boot wheels) and {wheels}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path)
    parser.add_argument("boot", type=Path, nargs="?")
    parser.add_argument("pypi", type=Path, nargs="?")
    parser.add_argument("--boot-list", action="store_true", help="print the boot wheels to download")
    args = parser.parse_args(argv)
    if args.boot_list:
        print("\n".join(boot_packages(_lock_from(args.tarball))))
        return 0
    vendor(args.tarball, args.boot, args.pypi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
