"""Shared fixtures: the course built once per test run, even across pytest-xdist workers.

Building runs ``otter assign`` on every master (about ten seconds each), so the build happens
once, under a file lock, into a directory every worker can read. Nothing is written to the
repository: the committed notebooks are compared with these fresh builds, never replaced.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_MASTER = ROOT / "tests" / "fixtures" / "99_fixture.md"

os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_itemcollected(item: pytest.Item) -> None:
    """A test that needs every chapter built (``built_course``, directly or through another
    fixture) is marked ``chapters``: `make test-fast` leaves it out, `make test` runs it."""
    if "built_course" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.chapters)


# -------------------------------------------------------------------------------------------
# xdist groups: `make test` runs `pytest -n 2 --dist loadgroup --no-loadscope-reorder`

GROUPS_FIRST = [
    "site", "attacks-gradescope", "installed-week", "cluster", "grading-batch", "variant-audit", "attacks-local",
    "attacks-chapter",
]  # fmt: skip
"""The ``xdist_group`` names, longest first (seconds on one CI worker: site ~600, the Gradescope
attack batches ~270, the installed tool's week ~200, cluster ~170, the grading batch ~150, the
chapters' variant audits ~140, the local attacks ~100, the chapter attacks ~85). Each group runs
whole on one worker; starting the longest first keeps the other worker busy with short tests
meanwhile, so the run ends when the work does."""


def xdist_groups(item: pytest.Item) -> list[str]:
    """The names of an item's ``xdist_group`` marks (a module's and its own)."""
    return sorted(
        {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each ``xdist_group`` on one worker, and hand out the longest groups first.

    pytest-xdist 3.8 names an item's group by appending ``@group`` to ``item._nodeid``, which
    pytest 9 no longer reads (the id lives in ``item._id``): every group was split across both
    workers, so each worker graded the attack batches of its own share (twice the work), and the
    batches that must not overlap (they open /root for a moment) overlapped. Here the suffix is
    set where pytest 9 reads it, unless xdist already did."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = xdist_groups(item)
        nodeid = item.nodeid
        if groups and nodeid.rfind("@") <= nodeid.rfind("]"):  # no "@group" after the parameters yet
            item._id = type(item._id).parse(f"{nodeid}@{'_'.join(groups)}")
    rank = {name: i for i, name in enumerate(GROUPS_FIRST)}  # then other groups, then single tests

    def order(item: pytest.Item) -> int:
        group = "_".join(xdist_groups(item))
        return rank.get(group, len(rank)) if group else len(rank) + 1

    items.sort(key=order)


@dataclass(frozen=True)
class BuiltCourse:
    """Where a fresh build put its files (same layout as the repository's)."""

    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def public_tests(self) -> Path:
        return self.root / "public_tests"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.notebooks.glob("*.ipynb"))


def _shared_dir(tmp_path_factory, name: str) -> Path:
    """A directory shared by every xdist worker of this run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / name


def build_once(tmp_path_factory, name: str, build) -> Path:
    """Run ``build(directory)`` once per test run (across workers) and return the directory."""
    directory = _shared_dir(tmp_path_factory, name)
    directory.parent.mkdir(parents=True, exist_ok=True)
    lock_path = directory.parent / f"{name}.lock"
    done = directory / ".done"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                error_file = directory.parent / f"{name}.error"
                if error_file.exists():
                    pytest.fail(error_file.read_text())
                directory.mkdir(parents=True, exist_ok=True)
                try:
                    build(directory)
                except Exception as exc:  # remember the failure for the other worker
                    error_file.write_text(f"building {name} failed: {exc}")
                    raise
                done.write_text(json.dumps({"built": name}))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return directory


def _build_masters(masters: list[Path]):
    def build(directory: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from autograder.authoring.assign import Outputs, assign_one

        def one(master: Path) -> None:
            outputs = Outputs.under(
                directory / "notebooks", directory / "public_tests", directory / "dist", master.stem
            )
            assign_one(master, outputs)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(one, masters))

    return build


@pytest.fixture(scope="session")
def built_course(tmp_path_factory) -> BuiltCourse:
    """Every master in solutions/ built afresh (student notebooks, public tests, autograders)."""
    from autograder.authoring.assign import masters

    found = masters()
    if not found:
        pytest.fail("no masters in solutions/: nothing to build")
    return BuiltCourse(build_once(tmp_path_factory, "built-course", _build_masters(found)))


@pytest.fixture(scope="session")
def fixture_course(tmp_path_factory) -> BuiltCourse:
    """The small fixture master (one question of each kind) built into a temporary course."""
    return BuiltCourse(build_once(tmp_path_factory, "fixture-course", _build_masters([FIXTURE_MASTER])))


VARIANTS_MASTER = ROOT / "tests" / "fixtures" / "98_variants.md"


@pytest.fixture(scope="session")
def variants_course(tmp_path_factory) -> BuiltCourse:
    """The per-student variants fixture master (a drawn napkin item, shuffled options), built."""
    return BuiltCourse(build_once(tmp_path_factory, "variants-course", _build_masters([VARIANTS_MASTER])))
