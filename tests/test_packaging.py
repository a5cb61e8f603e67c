"""Packaging and the two-command front door: what a fresh machine relies on."""

import re
import subprocess
import sys
import tomllib

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
    assert requirement_names(project["optional-dependencies"]["student"]) == ["otter-grader"]


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
    import pkgutil

    import mlsys_lab

    found = {m.name for m in pkgutil.iter_modules(mlsys_lab.__path__) if not m.name.startswith("_")}
    found.discard("public_tests")
    listed = set(mlsys_lab._SUBMODULES)
    assert found == listed, f"missing from _SUBMODULES: {found - listed}; listed but absent: {listed - found}"
    for name in listed:
        assert f"\n{name} " in mlsys_lab.__doc__, f"{name} is not described in the package docstring"
