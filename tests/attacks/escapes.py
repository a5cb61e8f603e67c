"""Attempts to reach outside the run (issue 10 item 4, issue 20 item 2): host files, the network,
the grader's environment, setuid binaries, other processes, a crash mid-encoding, a process that
will not die, and submissions that are symlinks or crafted zips.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import nbformat

from autograder.authoring import samples

from . import cells
from .hostile_notebook import Assignment, Case, Host, adder, honest_only, hostile


def escape_cases(a: Assignment, host: Host) -> list[Case]:
    """Escapes and isolation probes: each stolen value would turn into points."""
    ok = honest_only(a)
    none = {q: 0.0 for q in a.points}
    cases: list[Case] = []
    add = adder(cases, ok)

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

    return cases


def disguised_file_cases(a: Assignment, host: Host, solution_path: Path) -> list[Case]:
    """Files that are not what they seem: symlinks and zips pointing at the solution or outside the run."""
    ok = honest_only(a)
    none = {q: 0.0 for q in a.points}
    cases: list[Case] = []
    add = adder(cases, ok)

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

    return cases
