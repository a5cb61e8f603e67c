"""The typed messages that pass between the grader's processes.

::

    dispatcher ──GradeJob──▶ worker ──ExecuteJob──▶ sandbox (runner) ──answers file──▶ worker
    worker: Execution + answers ──score──▶ Score ──GradeResult──▶ dispatcher ──▶ report

Every message is a frozen-free dataclass with ``to_json``/``from_json`` so that it crosses a
pipe as one line of JSON and is rebuilt with its types, never as a string-keyed dict.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields


class _Message:
    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict):
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for f in fields(cls):
            hook = _NESTED.get((cls.__name__, f.name))
            if hook and f.name in values and values[f.name] is not None:
                values[f.name] = hook(values[f.name])
        return cls(**values)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))


@dataclass
class ExecuteJob(_Message):
    """What the sandboxed runner gets: the code cells to run and the answer names to report."""

    cells: list  # [{"number": int, "source": str}]
    names: list  # ["q1_answer", ...]
    path: list = field(default_factory=list)  # folders to add to sys.path (the course package's)
    variant: dict = field(default_factory=dict)  # {"code", "assignment"}: whose numbers (a code, never the secret)
    # function exercises: [{"name", "guards": ["module:attr"], "cases": [[arg, ...]], "seconds"}]
    functions: list = field(default_factory=list)


@dataclass
class Execution(_Message):
    """What stage 1 brought back from the sandbox (the answers file is still unvalidated)."""

    answers: str | None
    notes: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)  # [[cell number, exception name]]
    limited: bool = False  # a limit (time, memory, signal) shaped the outcome
    failure: str | None = None  # why no answers came out
    seconds: float = 0.0
    transient: bool = False  # the sandbox itself could not start: not the submission's fault


@dataclass
class CaseResult(_Message):
    """One test case of a question, as the student may see it."""

    name: str
    hidden: bool
    points: float
    passed: bool
    message: str | None = None  # public checks only


@dataclass
class QuestionScore(_Message):
    score: float
    possible: float
    cases: list = field(default_factory=list)  # [CaseResult]
    note: str | None = None  # e.g. "q3_answer is not a plain answer (a str subclass)"


@dataclass
class GradeJob(_Message):
    """One distinct notebook to grade (dispatcher -> worker)."""

    id: str  # cache key
    cells: list
    names: list
    assignment: str
    zip: str
    timeout: float
    memory_mb: int
    student: str | None = None  # roster id, from the roster (per-student variants)
    function_seed: int | None = None  # hidden inputs of function exercises (None: a fresh seed)
    code: str | None = None  # that student's personal code (the worker never sees the secret)
    missing: str | None = None  # why there is no code: the varied questions score 0 with this note


@dataclass
class GradeResult(_Message):
    """The outcome of one grading job (worker -> dispatcher, and the cache file)."""

    ok: bool
    tests: dict = field(default_factory=dict)  # question -> QuestionScore
    answers: dict = field(default_factory=dict)  # answer name -> plain value or None
    notes: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)
    reason: str | None = None  # set when not ok
    limited: bool = False
    transient: bool = False  # not the submission's fault: not cached, retried next run
    limits: dict = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_kib: int = 0
    function_seed: int | None = None  # the seed the function exercises' hidden inputs came from


def _question_scores(data: dict) -> dict:
    out = {}
    for question, score in data.items():
        score = QuestionScore.from_dict(score) if isinstance(score, dict) else score
        score.cases = [CaseResult.from_dict(c) if isinstance(c, dict) else c for c in score.cases]
        out[question] = score
    return out


_NESTED = {("GradeResult", "tests"): _question_scores}
