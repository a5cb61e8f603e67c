"""Hostile notebooks, each with the exact score its honest answers earn.

A case starts from the released (student) notebook of an assignment, answers a few questions
honestly (``honest``), and adds attack cells (``tests.attacks.cells``). Every other answer is
either wrong (for attacks that try to make wrong answers pass) or reads what an escape stole
(``_stolen.get(...)``, for attacks that try to reach something outside the run). Either way the
only points it may earn are those of its honest answers: ``Case.expected``.
"""

from __future__ import annotations

import ast
import copy
import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.authoring import samples

from . import cells

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


# ---------------------------------------------------------------------------------------------
# the cases


def fixture_cases(a: Assignment, host: Host, solution_path: Path, include_destructive: bool) -> list[Case]:
    """Every attack on the fixture assignment (q1 letter, q2 bool, q3 order, q4 text, q5 number).

    Honest answers: q2 and q4 (2 points of 6) unless a case says otherwise."""
    ok = honest_only(a)
    none = {q: 0.0 for q in a.points}
    cases: list[Case] = []

    def add(file, family, what, nb=None, expected=ok, **kw):
        cases.append(Case(file=file, family=family, what=what, expected=dict(expected), notebook=nb, **kw))

    # controls: the grader still grades
    add(
        "control_solution.ipynb",
        "control",
        "the solution notebook",
        copy.deepcopy(a.solution_notebook),
        a.per_question(a.every_answer),
    )
    add("control_blank.ipynb", "control", "the released notebook", copy.deepcopy(a.student), none)
    add(
        "control_honest.ipynb",
        "control",
        "q2 and q4 right, nothing else",
        samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
    )
    quantity = {**{v: a.solution[v] for v in a.honest}, "q5_answer": 'Q_(150, "minute")'}
    add(
        "control_quantity.ipynb",
        "control",
        "q5 as a quantity in minutes (honest)",
        samples.fill(a.student, quantity),
        a.per_question((*a.honest, "q5_answer")),
    )

    # the course's checks
    add(
        "patch_checks.ipynb",
        "monkeypatch",
        "every mlsys_lab.course.checks.expect_*/check_* replaced by a no-op",
        hostile(a, host, before=[cells.PATCH_CHECKS], targets="wrong"),
    )
    add(
        "fake_checks_module.ipynb",
        "monkeypatch",
        "sys.modules['mlsys_lab.course.checks'] swapped for a module that passes all",
        hostile(a, host, before=[cells.FAKE_CHECKS_MODULE], targets="wrong"),
    )
    add(
        "shadow_package.ipynb",
        "monkeypatch",
        "a fake mlsys_lab package written into the run's folders and put first on sys.path",
        hostile(a, host, before=[cells.SHADOW_PACKAGE], targets="wrong"),
    )

    # otter's classes
    add(
        "otter_test_case_result.ipynb",
        "otter",
        "TestCaseResult.__init__ forces passed=True",
        hostile(a, host, before=[cells.OTTER_TEST_CASE_RESULT], targets="wrong"),
    )
    add(
        "otter_grading_results.ipynb",
        "otter",
        "GradingResults.__init__ marks every test passed and full score",
        hostile(a, host, before=[cells.OTTER_GRADING_RESULTS], targets="wrong"),
    )
    add(
        "otter_test_file.ipynb",
        "otter",
        "ExceptionTestFile.run overridden to full score",
        hostile(a, host, before=[cells.OTTER_TEST_FILE], targets="wrong"),
    )

    # forged results
    add(
        "forge_pickle.ipynb",
        "forgery",
        "rewrites otter's results pickle after the export cell (post_run_cell + atexit)",
        hostile(a, host, before=[cells.FORGE_PICKLE], targets="wrong"),
    )
    add(
        "forge_answer_files.ipynb",
        "forgery",
        "injects score/test keys into every JSON file it can reach, after every cell",
        hostile(a, host, before=[cells.FORGE_ANSWER_FILES], targets="wrong"),
    )
    add(
        "poison_cache.ipynb",
        "forgery",
        "overwrites OUT/.cache/*.json (other students' cached results) and OUT/grades.csv",
        hostile(a, host, after=[cells.POISON_CACHE], targets="wrong"),
    )
    add(
        "lingering_forger.ipynb",
        "forgery",
        "leaves a daemon rewriting OUT/grades.csv for 90 s",
        hostile(a, host, after=[cells.LINGERING_FORGER], targets="wrong"),
    )

    # hidden tests on disk
    add(
        "hunt_hidden_tests.ipynb",
        "hidden tests",
        "walks / and /proc/*/cmdline for the zip, tests/*.py, masters, solutions, other submissions",
        hostile(a, host, before=[cells.HUNT_HIDDEN_TESTS]),
    )

    # answers that lie about what they are
    add(
        "liars_subclasses.ipynb",
        "lying objects",
        "str/list/float subclasses: wrong content, __eq__ always True, lying strip/upper/__iter__/__float__",
        hostile(
            a,
            host,
            before=[cells.LIARS],
            override={
                "q1_answer": '_LyingStr("Z")',
                "q3_answer": '_LyingList(["large", "small", "medium"])',
                "q5_answer": "_LyingFloat(1.0)",
            },
        ),
    )
    always = samples.fill(
        a.student, {**{v: "_AlwaysEqual()" for v in a.targets}, **{v: a.solution[v] for v in a.honest}}
    )
    first = min(samples.answer_cells(always).values())
    always.cells[first].source = samples.ALWAYS_EQUAL + "\n" + always.cells[first].source
    add("liars_always_equal.ipynb", "lying objects", "objects whose __eq__ is always True", always)
    add(
        "liars_extremes.ipynb",
        "lying objects",
        "q1 a 100000-digit int, q3 a list nested 100000 deep, q5 NaN",
        hostile(
            a,
            host,
            before=["_deep = []\nfor _ in range(100_000):\n    _deep = [_deep]"],
            override={"q1_answer": "10**100_000", "q3_answer": "_deep", "q5_answer": 'float("nan")'},
        ),
    )
    add(
        "liars_extremes_2.ipynb",
        "lying objects",
        "q5 infinity, q4 a 6 MB string, q1 the letter inside a list",
        hostile(
            a, host, override={"q5_answer": 'float("inf")', "q4_answer": '"blue " * 1_200_000', "q1_answer": '["C"]'}
        ),
        honest_only(a, ("q2_answer",)),
    )
    add(
        "liars_near_types.ipynb",
        "lying objects",
        "right content, wrong type: tuple for the list, '9000' for the number, b'C'",
        hostile(
            a, host, override={"q3_answer": '("small", "medium", "large")', "q5_answer": '"9000"', "q1_answer": 'b"C"'}
        ),
    )
    add(
        "liars_quantity.ipynb",
        "lying objects",
        "a quantity whose magnitude is a float subclass that converts to the right value",
        hostile(
            a, host, before=[cells.LIARS + "_LIE_FLOAT = 2.5\n"], override={"q5_answer": 'Q_(_LyingFloat(7.0), "hour")'}
        ),
    )
    add(
        "mimic_quantity_dict.ipynb",
        "lying objects",
        "q5 a plain dict shaped like the answers file's quantity encoding",
        hostile(a, host, override={"q5_answer": '{"magnitude": 2.5, "units": "hour"}'}),
    )
    add(
        "callables.ipynb",
        "callables",
        "a lambda returning the letter, a generator of the right order, an object with __float__",
        hostile(
            a,
            host,
            before=["class _Num:\n    def __float__(self): return 9000.0\n    def __index__(self): return 9000\n"],
            override={
                "q1_answer": 'lambda: "C"',
                "q3_answer": '(x for x in ["small", "medium", "large"])',
                "q5_answer": "_Num()",
            },
        ),
    )

    # builtins redefined
    add(
        "redefine_type_isinstance.ipynb",
        "builtins",
        "builtins.type/isinstance lie so the subclasses pass the type checks",
        hostile(
            a,
            host,
            before=[cells.LIARS, cells.REDEFINE_TYPE],
            override={
                "q1_answer": '_LyingStr("Z")',
                "q3_answer": '_LyingList(["large", "small", "medium"])',
                "q5_answer": "_LyingFloat(1.0)",
            },
        ),
    )
    add(
        "redefine_json_print.ipynb",
        "builtins",
        "json replaced in sys.modules (dumps injects score keys), print and repr redefined",
        hostile(a, host, before=[cells.REDEFINE_JSON_PRINT], targets="wrong"),
    )

    # escapes
    add(
        "read_canary.ipynb",
        "escape",
        "reads a canary file outside the submission (direct, /proc/*/root, symlink) and exfiltrates it",
        hostile(a, host, before=[cells.READ_CANARY]),
    )
    add(
        "write_outside.ipynb",
        "escape",
        "writes marker files in tmp_path, HOME, /tmp, /var/tmp, /dev/shm, the repo, the venv, the submissions folder",
        hostile(a, host, before=[cells.WRITE_OUTSIDE]),
    )
    add("network.ipynb", "escape", "TCP and UDP to a listener on 127.0.0.1", hostile(a, host, before=[cells.NETWORK]))

    # isolation measured in every mode (issue 20 item 2)
    add(
        "read_host_solution.ipynb",
        "isolation",
        "reads a world-readable solution notebook left in /tmp on the host",
        hostile(a, host, before=[cells.READ_HOST_SOLUTION]),
    )
    add(
        "abstract_socket.ipynb",
        "isolation",
        "connects to an abstract unix socket the host listens on",
        hostile(a, host, before=[cells.ABSTRACT_SOCKET]),
    )
    add(
        "setuid_binary.ipynb",
        "isolation",
        "checks no_new_privs and runs a setuid-root binary left on the host",
        hostile(a, host, before=[cells.SETUID_BINARY]),
    )
    add(
        "read_cmdlines.ipynb",
        "isolation",
        "reads other processes' command lines (/proc/*/cmdline) for a host process's secret",
        hostile(a, host, before=[cells.READ_CMDLINES]),
    )
    add(
        "crash_while_encoding.ipynb",
        "crash site",
        "every cell runs, then the process exits while its answers are encoded",
        hostile(a, host, after=[cells.CRASH_WHILE_ENCODING]),
        none,
        expected_status="Failed: the notebook's process exited while running the encoding of its answers",
    )
    add(
        "env_secret.ipynb",
        "escape",
        "reads an environment variable of the grading command (os.environ, /proc/*/environ)",
        hostile(a, host, before=[cells.ENV_SECRET]),
    )
    add(
        "sleep_forever.ipynb",
        "escape",
        "ignores SIGTERM/SIGINT/SIGHUP and sleeps forever after the answers",
        hostile(a, host, after=[cells.SLEEP_FOREVER]),
    )

    # files that are not what they seem
    add(
        "symlink_to_solution.ipynb",
        "symlink",
        "a symlink in the submissions folder to the solution notebook",
        expected=none,
        symlink_to=solution_path,
        expected_status="Failed",
    )
    add(
        "symlink_to_canary.ipynb",
        "symlink",
        "a symlink in the submissions folder to the canary file",
        expected=none,
        symlink_to=host.canary,
        expected_status="Failed",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        link = zipfile.ZipInfo(f"{a.name}.ipynb")
        link.create_system = 3
        link.external_attr = 0o120777 << 16  # a symlink member pointing at the solution
        zf.writestr(link, str(solution_path))
    add(
        "zip_symlink_member.zip",
        "symlink",
        "an otter zip whose notebook member is a symlink to the solution",
        expected=none,
        data=buffer.getvalue(),
        expected_status="Failed",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(
            f"../../../../../../tmp/mlsys-attack-{host.token}-traversal.ipynb",
            nbformat.writes(samples.fill(a.student, {v: a.solution[v] for v in a.honest})),
        )
    add(
        "zip_path_traversal.zip",
        "symlink",
        "an otter zip whose notebook member is named ../../../tmp/...",
        data=buffer.getvalue(),
    )

    if include_destructive:
        add(
            "fork_bomb.ipynb",
            "destructive",
            f"forks up to {host.fork_cap} sleeping children",
            hostile(a, host, after=[cells.FORK_BOMB]),
            destructive=True,
        )
        add(
            "fill_disk.ipynb",
            "destructive",
            f"writes {host.fill_bytes / 2**30:.1f} GiB into /tmp, HOME and the run's folder",
            hostile(a, host, after=[cells.FILL_DISK]),
            destructive=True,
        )
        add(
            "kill_parent.ipynb",
            "destructive",
            "SIGKILLs its parent and its parent's process group",
            hostile(a, host, after=[cells.KILL_PARENT]),
            destructive=True,
        )
        add(
            "signal_others.ipynb",
            "destructive",
            "SIGKILLs a host process (by pid and by a /proc search)",
            hostile(a, host, after=[cells.SIGNAL_OTHERS]),
            destructive=True,
        )
    return cases


def chapter_cases(a: Assignment, host: Host) -> list[Case]:
    """A few attacks on a real chapter (its setup cell, widgets and calculators all run)."""
    ok = honest_only(a)
    return [
        Case(
            "control_solution.ipynb",
            "control",
            "the solution notebook",
            a.per_question(a.every_answer),
            copy.deepcopy(a.solution_notebook),
        ),
        Case(
            "control_honest.ipynb",
            "control",
            "only the honest answers",
            ok,
            samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
        ),
        Case(
            "patch_checks.ipynb",
            "monkeypatch",
            "every expect_*/check_* replaced",
            ok,
            hostile(a, host, before=[cells.PATCH_CHECKS], targets="wrong"),
        ),
        Case(
            "forge_pickle.ipynb",
            "forgery",
            "otter's results pickle rewritten",
            ok,
            hostile(a, host, before=[cells.FORGE_PICKLE], targets="wrong"),
        ),
        Case(
            "hunt_hidden_tests.ipynb",
            "hidden tests",
            "solutions/, the zip, dist/ searched",
            ok,
            hostile(a, host, before=[cells.HUNT_HIDDEN_TESTS]),
        ),
    ]


ISOLATION_CASES = [
    "read_host_solution.ipynb",
    "abstract_socket.ipynb",
    "setuid_binary.ipynb",
    "read_cmdlines.ipynb",
    "network.ipynb",
    "read_canary.ipynb",
    "write_outside.ipynb",
]
"""What every mode must stop (issue 20 item 2): host files, network, setuid, other processes."""

GRADESCOPE_CASES = [
    "control_solution.ipynb",
    "control_honest.ipynb",
    "patch_checks.ipynb",
    "forge_results_json.ipynb",
    "submission_with_extras.ipynb",
    "hunt_hidden_tests.ipynb",
    "read_canary.ipynb",
    "network.ipynb",
    "redefine_type_isinstance.ipynb",
    "symlink_to_solution.ipynb",
    "read_host_solution.ipynb",
    "abstract_socket.ipynb",
    "setuid_binary.ipynb",
    "read_cmdlines.ipynb",
    "crash_while_encoding.ipynb",
]


def gradescope_case(a: Assignment, host: Host, file: str, solution_path: Path) -> Case:
    """One case for the Gradescope entry point (the host facts name this run's ROOT/results)."""
    if file == "forge_results_json.ipynb":
        return Case(
            file,
            "forgery",
            "writes ROOT/results/results.json and leaves a daemon rewriting it",
            honest_only(a),
            hostile(
                a,
                host,
                before=[cells.FORGE_RESULTS_JSON],
                after=[cells.FORGE_RESULTS_JSON, cells.LINGERING_FORGER],
                targets="wrong",
            ),
        )
    if file == "submission_with_extras.ipynb":
        passing = (
            "from otter.test_files import test_case\nOK_FORMAT = False\nname = {q!r}\npoints = 100\n"
            "@test_case(points=100, hidden=False)\ndef test_{q}():\n    pass\n"
        )
        extras = {f"tests/{q}.py": passing.format(q=q) for q in a.points}
        extras.update(
            {
                "otter_config.json": '{"assignment_name": "%s", "points_possible": 1}' % a.name,
                "mlsys_lab/__init__.py": "",
                "mlsys_lab/course/__init__.py": "",
                "mlsys_lab/course/checks.py": "def __getattr__(name):\n    return lambda *a, **k: None\n",
                "results/results.json": '{"score": 1000, "tests": []}',
                "answers.json": '{"q1_answer": "C"}',
            }
        )
        return Case(
            file,
            "forgery",
            "the submission folder also holds passing tests/, otter_config.json, a fake mlsys_lab, results.json",
            honest_only(a),
            samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
            extras=extras,
        )
    by_file = {c.file: c for c in fixture_cases(a, host, solution_path, include_destructive=False)}
    return by_file[file]
