"""What a hostile notebook is up against and how one is built (issue 10 item 4).

:class:`Assignment` is the built assignment under attack (released notebook, solution values,
questions and points), :class:`Host` the facts about the grading machine the notebooks try to
reach, :class:`Case` one hostile submission with the exact score its honest answers earn, and
:func:`hostile` the released notebook with honest answers, attack cells (``tests.attacks.cells``)
and target answers. The cases themselves are built by family in ``tampering``, ``lying_answers``,
``escapes`` and ``destructive``, and gathered in ``build``.
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from autograder.authoring import samples

# ---------------------------------------------------------------------------------------------
# what the attacker is up against


@dataclass(frozen=True)
class Assignment:
    """One built assignment: released notebook, solution values, questions and their points."""

    name: str
    student: nbformat.NotebookNode
    solution_notebook: nbformat.NotebookNode
    solution: dict[str, str]  # answer variable -> source of the correct value
    points: dict[str, float]  # question -> points
    variables: dict[str, list[str]]  # question -> answer variables its tests read
    honest: tuple[str, ...]  # variables the hostile notebooks answer correctly

    @classmethod
    def load(cls, dist: Path, notebooks: Path, name: str, honest: tuple[str, ...]) -> Assignment:
        solution_nb = nbformat.read(dist / name / f"{name}.ipynb", as_version=4)
        points, variables = {}, {}
        for path in sorted((dist / name / "tests").glob("*.py")):
            tree = ast.parse(path.read_text())
            question, total, names = path.stem, 0.0, []
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "name":
                    question = node.value.value
                if isinstance(node, ast.FunctionDef):
                    names += [a.arg for a in node.args.args if a.arg not in names]
                    for deco in node.decorator_list:
                        for kw in getattr(deco, "keywords", []):
                            if kw.arg == "points":
                                total += float(ast.literal_eval(kw.value))
            points[question], variables[question] = total, names
        return cls(
            name=name,
            student=nbformat.read(notebooks / f"{name}.ipynb", as_version=4),
            solution_notebook=solution_nb,
            solution=samples.solution_answers(solution_nb),
            points=dict(sorted(points.items())),
            variables=variables,
            honest=honest,
        )

    @property
    def every_answer(self) -> tuple[str, ...]:
        """What the solution notebook answers: every question's variables, the functions of the
        function exercises included (their answer is a def, not a ``*_answer`` line)."""
        return tuple(sorted({v for names in self.variables.values() for v in names}))

    @property
    def targets(self) -> list[str]:
        return [v for v in self.solution if v not in self.honest]

    def score_of(self, honest) -> float:
        """Points earned by a notebook whose only correct answers are ``honest``."""
        return sum(p for q, p in self.points.items() if self.variables[q] and set(self.variables[q]) <= set(honest))

    def per_question(self, honest) -> dict[str, float]:
        return {
            q: (p if self.variables[q] and set(self.variables[q]) <= set(honest) else 0.0)
            for q, p in self.points.items()
        }

    @property
    def possible(self) -> float:
        return sum(self.points.values())


@dataclass
class Host:
    """Facts about the host that the hostile notebooks try to reach (baked into their source)."""

    token: str
    canary: Path  # a file outside the run holding the token
    exfil: Path  # a host folder nothing may be written into
    markers: list[Path]  # files the notebooks try to create outside their run
    port: int  # TCP listener on 127.0.0.1
    udp_port: int
    secret: str  # the value of an environment variable of the grading command
    out: Path | None = None  # the grade command's --out (local runs)
    results: Path | None = None  # ROOT/results (Gradescope runs)
    victim: int = 0  # pid of a host process the notebooks try to kill
    hunt_within: str = ""  # the hidden-test hunt counts only files under this prefix ("" = anywhere)
    fork_cap: int = 3000
    fill_bytes: int = 768 * 2**20  # per place: /tmp, HOME, the run's folder
    abstract: str = ""  # an abstract unix socket the listener holds (network namespace scoped)
    host_solution: Path | None = None  # a world-readable solution notebook left on the host's disk
    setuid_id: Path | None = None  # a setuid-root copy of `id` in a world-readable folder

    def facts(self, assignment: Assignment) -> dict:
        return {
            "token": self.token,
            "canary": str(self.canary),
            "exfil": str(self.exfil),
            "markers": [str(m) for m in self.markers],
            "port": self.port,
            "udp_port": self.udp_port,
            "secret": self.secret,
            "out": str(self.out) if self.out else "",
            "results": str(self.results) if self.results else "",
            "victim": self.victim,
            "hunt_within": self.hunt_within,
            "fork_cap": self.fork_cap,
            "fill_bytes": self.fill_bytes,
            "abstract": self.abstract,
            "host_solution": str(self.host_solution or ""),
            "setuid_id": str(self.setuid_id or ""),
            "assignment": assignment.name,
            "targets": assignment.targets,
            "questions": list(assignment.points),
            "points": assignment.points,
        }


@dataclass
class Case:
    """One hostile submission and what it may earn."""

    file: str
    family: str
    what: str
    expected: dict[str, float]  # question -> points it may earn (its honest answers)
    notebook: nbformat.NotebookNode | None = None
    data: bytes | None = None  # raw file (zips)
    symlink_to: Path | None = None
    destructive: bool = False
    expected_status: str = ""  # a prefix of grading_status ("" = Completed or Failed, not checked)
    extras: dict[str, str] = field(default_factory=dict)  # more files beside it (Gradescope's submission folder)

    @property
    def total(self) -> float:
        return sum(self.expected.values())

    def write(self, folder: Path) -> Path:
        path = folder / self.file
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.symlink_to is not None:
            path.symlink_to(self.symlink_to)
        elif self.data is not None:
            path.write_bytes(self.data)
        else:
            nbformat.write(self.notebook, path)
        for name, text in self.extras.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        return path


# ---------------------------------------------------------------------------------------------
# building a hostile notebook


def _wrong(assignment: Assignment, variable: str) -> str:
    return samples.wrong_value(assignment.solution[variable], random.Random(variable))


def hostile(
    assignment: Assignment,
    host: Host,
    before: list[str] = (),
    after: list[str] = (),
    targets: str = "stolen",
    override: dict[str, str] | None = None,
    honest: tuple[str, ...] | None = None,
) -> nbformat.NotebookNode:
    """The released notebook with honest answers, attack cells and target answers.

    ``before`` cells go just before the first answer cell (after the prelude), ``after`` cells
    just before the hand-in cell. Target answers are ``"stolen"`` (``_stolen.get(name, ...)``)
    or ``"wrong"`` (a wrong value of the right kind); ``override`` sets any answer's source.
    """
    honest = assignment.honest if honest is None else honest
    values = {v: assignment.solution[v] for v in honest}
    for v in assignment.targets:
        if v in honest:
            continue
        values[v] = f"_stolen.get({v!r}, ...)" if targets == "stolen" else _wrong(assignment, v)
    values.update(override or {})
    nb = samples.fill(assignment.student, values)
    win = "".join(  # a solution value may use the solution's own variables: keep those that evaluate
        f"try:\n    _WIN[{v!r}] = {assignment.solution[v]}\nexcept Exception:\n    pass\n" for v in assignment.targets
    )
    prelude = (
        "# (the attacker's notes: what they know about the grading machine)\n"
        "from mlsys_lab.units import Q_\n"
        f"_H = {host.facts(assignment)!r}\n"
        "_stolen, _WIN = {}, {}\n" + win
    )
    first = min(samples.answer_cells(nb).values())
    new = [nbformat.v4.new_code_cell(prelude)] + [nbformat.v4.new_code_cell(c) for c in before]
    nb.cells[first:first] = new
    last_code = max(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    hand_in = "hand_in" in nb.cells[last_code].source
    at = last_code if hand_in else len(nb.cells)
    nb.cells[at:at] = [nbformat.v4.new_code_cell(c) for c in after]
    return nb


def honest_only(assignment: Assignment, honest: tuple[str, ...] | None = None) -> dict[str, float]:
    return assignment.per_question(assignment.honest if honest is None else honest)


def adder(cases: list[Case], default: dict[str, float]) -> Callable[..., None]:
    """``add(file, family, what, nb=None, expected=default, **kw)``: append one :class:`Case` to
    ``cases``; ``expected`` defaults to ``default`` (the points of the honest answers)."""

    def add(file, family, what, nb=None, expected=default, **kw):
        cases.append(Case(file=file, family=family, what=what, expected=dict(expected), notebook=nb, **kw))

    return add
