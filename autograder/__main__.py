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
            "personal": "autograder.personal",  # one notebook per roster id, PERSONAL_CODE filled in
            "secret": "autograder.course_secret:secret_main",  # the offering's variants secret
            "codes": "autograder.course_secret:codes_main",  # roster -> personal codes CSV for the LMS
            "seal": "autograder.course_secret:seal_main",  # an autograder zip with the secret, for Gradescope
            "variants": "autograder.variant_audit",  # is every per-student exercise well posed?
        }
    )
    if not argv or argv[0] not in commands:
        print("usage: python -m autograder {" + ",".join(commands) + "} [options]  (--help after a command)")
        return 2
    import importlib

    module_name, _, function = commands[argv[0]].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function or "main")(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
