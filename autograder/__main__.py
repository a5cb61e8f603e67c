"""``python -m autograder COMMAND``: the instructor's entry point."""

import sys
from pathlib import Path

# The commands in the order of the work: authoring, grading, review, exports.
STAGES = {
    "authoring": {
        "assign": ("autograder.authoring.assign", "master -> student notebook, public checks, autograder zip"),
        "reference": ("autograder.authoring.reference", "the reference pages of the course package"),
        "nbgrader": ("autograder.authoring.nbgrader_export", "export an assignment for nbgrader"),
        "variants": ("autograder.authoring.variant_audit", "is every per-student exercise well posed?"),
        "secret": ("autograder.authoring.course_secret:secret_main", "the offering's variants secret"),
        "codes": ("autograder.authoring.course_secret:codes_main", "roster -> personal codes CSV for the LMS"),
        "seal": ("autograder.authoring.course_secret:seal_main", "an autograder zip with the secret, for Gradescope"),
        "personal": ("autograder.authoring.personal", "one notebook per roster id, personal code filled in"),
    },
    "grading": {
        "grade": ("autograder.grading.cli", "grade a folder of submissions (sandboxed)"),
        "merge": ("autograder.grading.merge", "join the results of grade --shard runs"),
    },
    "review": {
        "written": ("autograder.review.written", "written answers -> grading sheets"),
        "import-scores": ("autograder.review.written.scores", "filled sheets -> final_grades.csv"),
        "report": ("autograder.review.class_report", "results.json -> report.html (one self-contained file)"),
    },
    "exports": {
        "export": ("autograder.exports", "final grades -> Canvas / Gradescope CSV"),
    },
}
CHECKOUT_ONLY = ("assign", "reference", "nbgrader")
"""Commands that build from the course's masters and settings (``solutions/``, ``_config.yml``,
``pyproject.toml``): they run in a checkout of the course, not from the installed package."""
COMMANDS = {name: target for stage in STAGES.values() for name, (target, _) in stage.items()}
WHAT = {name: what for stage in STAGES.values() for name, (_, what) in stage.items()}


def program() -> str:
    """The name the tool was called by: ``mlsys-lab`` when installed, else ``python -m autograder``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return (
        name if name and not name.startswith(("__main__", "-")) and not name.endswith(".py") else "python -m autograder"
    )


def usage(commands: dict, argv: list) -> int:
    """``--help``: the commands, exit 0; nothing or an unknown command: the same on stderr, exit 2."""
    asked = bool(argv) and argv[0] in ("-h", "--help", "help")
    lines = [f"usage: {program()} COMMAND [options]   ({program()} COMMAND --help for a command's options)", ""]
    if argv and not asked:
        lines.insert(0, f"{program()}: unknown command {argv[0]!r}")
    for stage, commands_of_stage in STAGES.items():
        lines.append(f"{stage}:")
        lines += [f"  {name:<15}{WHAT[name]}" for name in commands_of_stage if name in commands]
    print("\n".join(lines), file=sys.stdout if asked else sys.stderr)
    return 0 if asked else 2


def in_checkout() -> bool:
    """Whether this package sits in a checkout of the course (not installed in site-packages)."""
    root = Path(__file__).resolve().parents[1]
    return (root / "_config.yml").is_file() and (root / "solutions").is_dir()


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = COMMANDS
    if not argv or argv[0] not in commands:
        return usage(commands, argv)
    if argv[0] in CHECKOUT_ONLY and not in_checkout() and not {"-h", "--help"} & set(argv[1:]):
        print(
            f"{program()} {argv[0]}: builds from the course's masters and settings, so it runs in a checkout of "
            f"the course (`python -m autograder {argv[0]}` there); the installed tool grades with the zips it builds",
            file=sys.stderr,
        )
        return 2
    import importlib

    module_name, _, function = commands[argv[0]].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function or "main")(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
