"""``python -m autograder COMMAND``: the instructor's entry point."""

import sys
from pathlib import Path

WHAT = {
    "assign": "master -> student notebook, public checks, autograder zip",
    "reference": "the reference pages of the course package",
    "grade": "grade a folder of submissions (sandboxed)",
    "merge": "join the results of grade --shard runs",
    "nbgrader": "export an assignment for nbgrader",
    "written": "written answers -> grading sheets",
    "import-scores": "filled sheets -> final_grades.csv",
    "report": "results.json -> report.html (one self-contained file)",
    "export": "final grades -> Canvas / Gradescope CSV",
    "personal": "one notebook per roster id, personal code filled in",
    "secret": "the offering's variants secret",
    "codes": "roster -> personal codes CSV for the LMS",
    "seal": "an autograder zip with the secret, for Gradescope",
    "variants": "is every per-student exercise well posed?",
}


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
    lines.append("commands:")
    lines += [f"  {name:<15}{WHAT.get(name, '')}" for name in commands]
    print("\n".join(lines), file=sys.stdout if asked else sys.stderr)
    return 0 if asked else 2


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {
        "assign": "autograder.assign",
        "reference": "autograder.reference",
        "grade": "autograder.grading.cli",
        "merge": "autograder.grading.merge",
        "nbgrader": "autograder.nbgrader_export",
    }
    commands.update(
        {
            "written": "autograder.written",  # written answers -> grading sheets
            "import-scores": "autograder.written.scores",  # filled sheets -> final_grades.csv
            "report": "autograder.class_report",  # results.json -> report.html
            "export": "autograder.exports",  # final grades -> Canvas / Gradescope CSV
            "personal": "autograder.personal",  # one notebook per roster id, PERSONAL_CODE filled in
            "secret": "autograder.course_secret:secret_main",  # the offering's variants secret
            "codes": "autograder.course_secret:codes_main",  # roster -> personal codes CSV for the LMS
            "seal": "autograder.course_secret:seal_main",  # an autograder zip with the secret, for Gradescope
            "variants": "autograder.variant_audit",  # is every per-student exercise well posed?
        }
    )
    if not argv or argv[0] not in commands:
        return usage(commands, argv)
    import importlib

    module_name, _, function = commands[argv[0]].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function or "main")(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
