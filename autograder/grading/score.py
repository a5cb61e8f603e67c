"""Stage 2: score an answers file with the autograder zip's own tests, in a clean process.

The scorer runs in the grader's worker (started as ``python -I``: no student code on its path,
and it never receives the executed notebook). It reads the hidden and public tests from the
otter autograder zip with otter's own test-file classes (so points, ``all_or_nothing`` and
partial credit mean exactly what they mean to ``otter run`` and Gradescope), rebuilds the
student's answers from the answers file through the course's unit registry, and runs each
test file against them. The zip stays the one source of the tests.

The answers file is the student's claim, so scoring it is bounded like running it:
:func:`score_limited` scores in a child forked from the warm worker, under a memory cap and a
wall-clock deadline, and unit texts pass a small grammar (:func:`answers.unit_factors`) before
the unit registry sees them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import resource
import select
import signal
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import answers as plain
from . import messages as m

MESSAGE_CAP = 1000
"""Characters kept of a public check's message."""


class BadAutograder(ValueError):
    """The autograder zip cannot be used (not a zip, no tests, wrong assignment)."""


@dataclass(frozen=True)
class Assignment:
    """What the autograder zip says about the assignment."""

    name: str
    zip_path: Path
    zip_sha256: str
    points: dict  # question -> points possible, sorted by question
    answers: dict  # question -> the variables its tests read
    varied: tuple = ()  # questions whose numbers or option order differ per student
    shuffled: dict = field(default_factory=dict)  # question -> options shown in a per-student order
    secret: str | None = None  # the instructor's variants secret (a sealed zip's, or the grader's); never sent on
    order: tuple = ()  # the questions in the notebook's order (mlsys_variants.json); may be empty

    @property
    def questions(self) -> list[str]:
        """The questions in the notebook's order (as the zip records it); any it does not list
        after them in natural order (q2 before q10)."""
        return sorted(self.points, key=lambda q: notebook_order_key(q, self.order))

    @property
    def possible(self) -> float:
        return float(sum(self.points.values()))

    @property
    def answer_names(self) -> list[str]:
        names = []
        for question in self.questions:
            names += [n for n in self.answers.get(question, []) if n not in names]
        return names


def natural_key(name: str) -> tuple:
    """``q2`` before ``q10``: digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name) if part)


def notebook_order_key(name: str, order) -> tuple:
    """Sort key: position in ``order`` (the notebook's), then natural order for names not in it."""
    order = list(order)
    return (order.index(name), ()) if name in order else (len(order), natural_key(name))


def read_variants(zip_path: Path) -> dict:
    """``mlsys_variants.json`` of an autograder: which questions vary, which are shuffled."""
    zip_path = Path(zip_path)
    try:
        if zip_path.is_dir():
            text = (zip_path / "mlsys_variants.json").read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(zip_path) as zf:
                text = zf.read("mlsys_variants.json").decode("utf-8")
        data = json.loads(text)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {"questions": []}
    return data if isinstance(data, dict) else {"questions": []}


def _read_zip(zip_path: Path) -> tuple[dict, dict, bytes]:
    """Config, test sources and a digest of an otter zip, or of the folder it unpacks to
    (Gradescope's ``/autograder/source``)."""
    zip_path = Path(zip_path)
    if zip_path.is_dir():
        config_file = zip_path / "otter_config.json"
        config = json.loads(config_file.read_text()) if config_file.exists() else {}
        tests = {f"tests/{p.name}": p.read_text(encoding="utf-8") for p in sorted((zip_path / "tests").glob("*.py"))}
        if not tests:
            raise BadAutograder(f"{zip_path}: no tests/*.py")
        digest = json.dumps(tests, sort_keys=True).encode()
        return config, tests, digest
    data = zip_path.read_bytes()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
        config = json.loads(zf.read("otter_config.json")) if "otter_config.json" in names else {}
        tests = {n: zf.read(n).decode("utf-8") for n in names if re.fullmatch(r"tests/[^/]+\.py", n)}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadAutograder(f"{zip_path}: not an otter autograder zip ({exc})") from exc
    if not tests:
        raise BadAutograder(f"{zip_path}: the autograder zip holds no tests/*.py")
    return config, tests, data


def _test_files(tests: dict) -> dict:
    """Parse each test source with otter's own classes: {question: TestFile}."""
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    parsed = {}
    with tempfile.TemporaryDirectory(prefix="mlsys-tests-") as tmp:
        for member, source in sorted(tests.items()):
            path = Path(tmp) / Path(member).name
            path.write_text(source, encoding="utf-8")
            test_file = create_test_file(str(path), NBMetadataConfig())
            parsed[test_file.name] = test_file
    return parsed


def _arguments(test_file) -> list[str]:
    names = []
    for case in test_file.test_cases:
        for name in case.body._get_func_params() if hasattr(case.body, "_get_func_params") else []:
            if name != "env" and name not in names:
                names.append(name)
    return names


def load_assignment(zip_path: Path, expected: str | None = None) -> Assignment:
    """Read the assignment name, questions, points and answer names from an otter zip."""
    config, tests, data = _read_zip(zip_path)
    name = config.get("assignment_name") or expected or Path(zip_path).stem
    if expected and name != expected:
        raise BadAutograder(f"{zip_path} is the autograder of {name!r}, not {expected!r}")
    points, answer_names = {}, {}
    for question, test_file in _test_files(tests).items():
        points[question] = float(test_file.possible)
        answer_names[question] = _arguments(test_file)
    variants = read_variants(zip_path)
    shuffled = variants.get("shuffled") if isinstance(variants.get("shuffled"), dict) else {}
    return Assignment(
        name,
        Path(zip_path),
        hashlib.sha256(data).hexdigest(),
        dict(sorted(points.items())),
        answer_names,
        tuple(variants.get("questions", [])),
        {str(q): int(n) for q, n in shuffled.items() if isinstance(n, int)},
        _sealed_secret(zip_path),
        tuple(str(q) for q in variants.get("order", []) if isinstance(q, str)),
    )


def _sealed_secret(zip_path: Path) -> str | None:
    """The variants secret a sealed Gradescope zip carries (``python -m autograder seal``)."""
    from .identity import SECRET_MEMBER, SecretError, sealed, secret_from_text

    text = sealed(zip_path, SECRET_MEMBER)
    if text is None:
        return None
    try:
        return secret_from_text(text, f"{zip_path}: {SECRET_MEMBER}")
    except SecretError as exc:
        raise BadAutograder(str(exc)) from exc


class Scorer:
    """Scores answers files against one autograder zip (tests parsed once)."""

    def __init__(self, zip_path: Path):
        config, tests, _ = _read_zip(zip_path)
        self.test_files = _test_files(tests)
        self.variants = read_variants(zip_path)
        self.assignment = self.variants.get("assignment") or config.get("assignment_name")
        self.names = []
        for test_file in self.test_files.values():
            self.names += [n for n in _arguments(test_file) if n not in self.names]

    def score(self, answers_text: str | None, student: str | None = None) -> tuple[dict, dict, list]:
        """{question: QuestionScore}, the answers as plain data for reports, notes.

        ``student`` is the personal code the grader derived from the roster id (never anything
        read from the notebook): questions that vary are scored against that student's own
        numbers; None scores them on the master's (the grader zeroes them first when that is
        not what the instructor asked for, :mod:`.identity`)."""
        from mlsys_lab.course import variants

        variants.configure(student, self.assignment)
        notes = []
        if answers_text is None:
            values = {name: plain.NotPlain("no answers were recorded") for name in self.names}
        else:
            try:
                values = plain.decode(answers_text, self.names, _quantity)
            except plain.BadAnswersFile as exc:
                notes.append(str(exc))
                values = {name: plain.NotPlain("no answers were recorded") for name in self.names}
        results = {}
        for question, test_file in sorted(self.test_files.items()):
            env = dict(values)
            test_file.run(env)
            cases = []
            for result in test_file.test_case_results:
                hidden = bool(result.test_case.hidden)
                cases.append(
                    m.CaseResult(
                        name=str(result.test_case.name),
                        hidden=hidden,
                        points=float(result.test_case.points or 0),
                        passed=bool(result.passed),
                        message=None if hidden else public_message(result.message),
                    )
                )
            note = None
            for name in _arguments(test_file):
                value = values.get(name)
                if isinstance(value, plain.NotPlain):
                    note = f"{name} is not a plain answer: {value}"
            results[question] = m.QuestionScore(
                score=float(test_file.score), possible=float(test_file.possible), cases=cases, note=note
            )
        return results, plain.summary(values), notes


SCORE_SECONDS = 60
"""Wall-clock seconds stage 2 may take for one submission (it takes milliseconds)."""
SCORE_MEMORY_MB = 1024
"""Memory stage 2 may add for one submission, on top of the warm process it forks from."""


class ScoringFailed(RuntimeError):
    """Stage 2 hit its time or memory limit on a submission (the message is the row's reason)."""


def score_limited(
    scorer: Scorer,
    answers_text: str | None,
    student: str | None = None,
    seconds: float = SCORE_SECONDS,
    memory_mb: int = SCORE_MEMORY_MB,
) -> tuple[dict, dict, list]:
    """:meth:`Scorer.score` in a child forked from this (warm, clean) process, under a memory
    cap (``RLIMIT_AS``: what the process has now plus ``memory_mb``) and a wall-clock deadline;
    the result comes back as JSON over a pipe. Whatever the answers file holds, this returns
    within ``seconds`` or raises :class:`ScoringFailed` saying which limit was hit."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: score, send, and leave without running any exit handler
        os.close(read_end)
        _score_in_child(scorer, answers_text, student, memory_mb, write_end)
    os.close(write_end)
    try:
        data, finished = _read_until(read_end, time.monotonic() + seconds)
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if not finished:
        raise ScoringFailed(f"scoring took longer than {seconds:g} s and was stopped")
    try:
        message = json.loads(data)
    except ValueError:
        killed = os.WIFSIGNALED(status) and signal.Signals(os.WTERMSIG(status)).name
        raise ScoringFailed(f"scoring stopped without a result ({killed or 'no output'})") from None
    if message.get("error") == "memory":
        raise ScoringFailed(f"scoring needed more than {memory_mb} MiB and was stopped")
    if message.get("error"):  # a bug of the grader's, not the submission's limit: not cached
        raise RuntimeError(f"scoring failed ({message['error']})")
    return m._question_scores(message["tests"]), message["answers"], message["notes"]


def _score_in_child(scorer: Scorer, answers_text, student, memory_mb: int, fd: int) -> None:
    try:
        vm_bytes = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
        cap = vm_bytes + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        tests, answers, notes = scorer.score(answers_text, student=student)
        message = {
            "tests": {q: dataclasses.asdict(score) for q, score in tests.items()},
            "answers": answers,
            "notes": notes,
        }
        data = json.dumps(message).encode()
    except MemoryError:
        data = b'{"error": "memory"}'
    except BaseException as exc:  # noqa: BLE001 -- reported as the row's reason
        data = json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:200]}"}).encode()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os._exit(0)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything written to ``fd`` until it closes, and whether it closed before ``deadline``."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)


def _quantity(magnitude, factors: list[tuple[str, int]]):
    """A quantity of the course's registry from :func:`answers.unit_factors`' checked factors:
    each name must be a unit of the registry, and the unit is built by multiplying, so pint's
    expression parser never reads the student's text."""
    from mlsys_lab.units import ureg

    unit = ureg.dimensionless
    for name, power in factors:
        try:
            known = name in ureg
        except Exception:  # noqa: BLE001 -- a name pint trips over (``__class__``) is unknown
            known = False
        if not known:
            raise plain.NotPlain("a quantity whose unit has a name the course's unit registry does not know")
        unit = unit * ureg.Unit(name) ** power
    return ureg.Quantity(magnitude, unit)


def public_message(message) -> str:
    """The student-facing part of a failed public check: the exception line(s), not the code."""
    lines = str(message or "").strip().splitlines()
    if len(lines) >= 4 and lines[1].startswith("Error at line"):
        lines = lines[3:]
    elif lines and lines[0].startswith(("✅", "❌")):
        lines = lines[1:]
    text = "\n".join(lines).strip()
    text = re.sub(
        r"(an object of type )?autograder\.grading\.answers\.NotPlain", "a value that is not a plain answer", text
    )
    return text if len(text) <= MESSAGE_CAP else text[:MESSAGE_CAP] + " …"
