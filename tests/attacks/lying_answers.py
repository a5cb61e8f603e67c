"""Answers that lie about what they are (issue 10 item 4): str/list/float subclasses, objects
equal to everything, extreme and near-miss values, callables, and builtins redefined to vouch for them.
"""

from __future__ import annotations

from autograder.authoring import samples

from . import cells
from .hostile_notebook import Assignment, Case, Host, adder, honest_only, hostile


def lying_answer_cases(a: Assignment, host: Host) -> list[Case]:
    """Lying objects, callables and redefined builtins on the fixture's answers."""
    ok = honest_only(a)
    cases: list[Case] = []
    add = adder(cases, ok)

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

    return cases
