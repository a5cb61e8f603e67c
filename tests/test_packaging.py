"""Packaging and the two-command front door: what a fresh machine relies on."""

import re
import subprocess
import sys
import tomllib

import pytest
from helpers import ROOT


def constraint_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-").replace(".", "-")] = match.group(2)
    return pins


def requirement_names(requirements: list[str]) -> list[str]:
    names = []
    for requirement in requirements:
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
        names.append(name.lower().replace("_", "-").replace(".", "-"))
    return names


def test_every_dependency_is_pinned_in_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = constraint_pins()
    wanted = requirement_names(project["dependencies"])
    for requirements in project["optional-dependencies"].values():
        wanted += [n for n in requirement_names(requirements) if n != "mlsys-lab"]
    missing = sorted(set(wanted) - set(pins))
    assert not missing, f"not pinned in constraints.txt: {missing}"


def test_runtime_dependencies_stay_light():
    """A student's kernel (Colab) installs only the scientific basics plus the checker."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert set(requirement_names(project["dependencies"])) == {"numpy", "pint", "matplotlib", "ipywidgets", "scipy"}
    # what a student needs beyond the package to open, run, check and hand in a notebook (issue 25)
    assert requirement_names(project["optional-dependencies"]["student"]) == ["otter-grader", "jupyterlab", "ipykernel"]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make course", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_binder_environment_installs_the_course_with_pins():
    lines = [
        ln.strip()
        for ln in (ROOT / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert "-c constraints.txt" in lines and "-e .[student]" in lines
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_import_is_lazy():
    """`import mlsys_lab` must not pull in pint or numpy (they cost most of a second)."""
    code = "import sys, mlsys_lab; print(sorted(m for m in ('pint', 'numpy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_package_index_lists_every_module():
    """Every module sits in a role folder (or at the top), once, and the package docstring describes it."""
    import pkgutil

    import mlsys_lab

    found = {m.name for m in pkgutil.iter_modules(mlsys_lab.__path__) if not m.name.startswith("_")}
    assert found - {"public_tests"} == {*mlsys_lab._TOP_LEVEL, *mlsys_lab.ROLES}, found
    seen: dict[str, str] = {}
    for role in mlsys_lab.ROLES:
        for m in pkgutil.iter_modules([str(ROOT / "mlsys_lab" / role)]):
            assert m.name not in seen, (
                f"{m.name} is in both {seen.get(m.name)}/ and {role}/: ml.{m.name} would be ambiguous"
            )
            seen[m.name] = role
    for name in mlsys_lab.module_names():
        assert f"\n{name} " in mlsys_lab.__doc__, f"{name} is not described in the package docstring"


def test_each_module_has_one_name():
    """``ml.checks`` is the module ``mlsys_lab.course.checks`` (a lazy attribute for notebooks), and no
    module can be imported under a second name: ``import mlsys_lab.<module>`` fails."""
    import importlib

    import mlsys_lab

    for name in mlsys_lab.module_names():
        role = mlsys_lab.role_of(name)
        if role is None:
            continue
        real = importlib.import_module(f"mlsys_lab.{role}.{name}")
        assert getattr(mlsys_lab, name) is real
        assert real.__spec__.name == real.__name__ == f"mlsys_lab.{role}.{name}"
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"mlsys_lab.{name}")
    code = "import mlsys_lab as ml, sys; ml.checks; print(sorted(k for k in sys.modules if k.endswith('.checks')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "['mlsys_lab.course.checks']"


def test_no_file_imports_a_module_by_a_second_name():
    """Code, masters and docs name each module by its path (``mlsys_lab.science.drift``), never by
    ``mlsys_lab.<module>`` or ``from mlsys_lab import <module>``."""
    import mlsys_lab

    names = "|".join(n for n in mlsys_lab.module_names() if mlsys_lab.role_of(n))
    pattern = re.compile(rf"(?<![\w.])mlsys_lab\.({names})\b|\bfrom mlsys_lab import .*\b({names})\b", re.M)
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for rel in tracked:
        if rel.startswith(("book/_vendor/", "book/_lite/")) or not rel.endswith(
            (".py", ".md", ".ipynb", ".yml", ".toml")
        ):
            continue
        text = (ROOT / rel).read_text(errors="replace")
        offenders += [f"{rel}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert not offenders, offenders[:20]
