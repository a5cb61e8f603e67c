"""``python -m autograder COMMAND``: the instructor's entry point."""

import sys


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
            "personal": "autograder.personal",  # one notebook per roster id, ROSTER_ID filled in
            "variants": "autograder.variant_audit",  # is every per-student exercise well posed?
        }
    )
    if not argv or argv[0] not in commands:
        print("usage: python -m autograder {" + ",".join(commands) + "} [options]  (--help after a command)")
        return 2
    import importlib

    module = importlib.import_module(commands[argv[0]])
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
