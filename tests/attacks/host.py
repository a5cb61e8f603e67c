"""The host side of the escapes: what the attacks try to reach, and the traces they may leave."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import psutil

from .hostile_notebook import Host

ROOT = Path(__file__).resolve().parents[2]


class Listener:
    """A TCP and a UDP socket on 127.0.0.1, and an abstract unix socket (the kind a network
    namespace scopes), that record every byte they receive."""

    def __init__(self):
        self.received: list[bytes] = []
        self.abstract_name = "mlsys-attack-" + secrets.token_hex(8)
        self.abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.abstract.bind("\0" + self.abstract_name)
        self.abstract.listen(16)
        self.abstract.settimeout(0.2)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.settimeout(0.2)
        self.port, self.udp_port = self.tcp.getsockname()[1], self.udp.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.tcp.accept()
                self.connections += 1
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")
                conn.close()
            except (socket.timeout, OSError):
                pass
            try:
                self.received.append(self.udp.recv(4096))
            except (socket.timeout, OSError):
                pass
            try:
                conn, _ = self.abstract.accept()
                self.connections += 1
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"<abstract connected>")
                except OSError:
                    self.received.append(b"<abstract connected>")
                conn.close()
            except (socket.timeout, OSError):
                pass

    def close(self) -> list[str]:
        self._stop.set()
        self._thread.join(timeout=5)
        self.tcp.close()
        self.udp.close()
        self.abstract.close()
        return [r.decode(errors="replace") for r in self.received] + (
            [f"{self.connections} TCP connection(s)"] if self.connections else []
        )


def new_host(
    base: Path, submissions: Path | None = None, out: Path | None = None, solution: Path | None = None
) -> Host:
    """Canary, exfiltration folder and marker paths under ``base`` (a test's temporary folder),
    and, in a world-readable folder of /tmp (:func:`open_files`), a copy of the solution notebook
    and a setuid-root copy of ``id``: what a careless host leaves for any uid to find."""
    token = "atk" + secrets.token_hex(8)
    base.mkdir(parents=True, exist_ok=True)
    canary = base / f"canary-{token}.txt"
    canary.write_text(f"instructor secret {token}\n")
    exfil = base / "exfil"
    exfil.mkdir(exist_ok=True)
    opened = open_files(token, solution)
    return Host(
        host_solution=opened / f"solution-{token}.ipynb",
        setuid_id=opened / "setuid-id",
        token=token,
        canary=canary,
        exfil=exfil,
        markers=marker_paths(token, base, submissions, out),
        port=0,
        udp_port=0,
        secret=f"envsecret-{secrets.token_hex(8)}",
        out=out,
    )


def marker_paths(token: str, base: Path, submissions: Path | None, out: Path | None) -> list[Path]:
    """Places outside the run where a hostile notebook tries to leave a file."""
    home = Path(os.path.expanduser("~"))
    site = Path(sysconfig.get_paths()["purelib"])
    places = [
        base / f"written-{token}",
        home / f".mlsys-attack-{token}",
        Path("/tmp") / f"mlsys-attack-{token}",
        Path("/var/tmp") / f"mlsys-attack-{token}",
        Path("/dev/shm") / f"mlsys-attack-{token}",
        ROOT / f".mlsys-attack-{token}",
        ROOT / "mlsys_lab" / f"mlsys-attack-{token}.py",
        site / f"mlsys-attack-{token}.pth",
    ]
    if submissions is not None:
        places.append(submissions / f"zz-planted-{token}.ipynb")  # a new "submission" for the next run
    if out is not None:
        places.append(out.parent / f"mlsys-attack-{token}")
    return places


def open_files(token: str, solution: Path | None) -> Path:
    """A world-readable folder under /tmp (its name does not carry the token, so it is not a
    trace) holding the solution notebook (with the token in its metadata) and a setuid-root
    ``id``. Removed by :func:`remove_open_files`."""
    folder = Path(tempfile.mkdtemp(prefix="mlsys-host-open-", dir="/tmp"))
    folder.chmod(0o755)
    text = solution.read_text(encoding="utf-8") if solution is not None else "{}"
    notebook = json.loads(text)
    notebook.setdefault("metadata", {})["left_on_disk"] = token
    (folder / f"solution-{token}.ipynb").write_text(json.dumps(notebook))
    (folder / f"solution-{token}.ipynb").chmod(0o644)
    setuid = folder / "setuid-id"
    shutil.copyfile(shutil.which("id") or "/usr/bin/id", setuid)
    setuid.chmod(0o4755)  # owned by root: a setuid-root binary, as /usr/bin/passwd is
    return folder


def remove_open_files(host: Host) -> None:
    if host.host_solution is not None:
        shutil.rmtree(host.host_solution.parent, ignore_errors=True)


def permissions() -> dict[str, int]:
    """Modes of the folders a sandbox might open for a stranger uid: every folder above the
    Python installation, the virtual environment and this repository, and /tmp."""
    found = {}
    for start in (Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), ROOT, Path("/tmp")):
        for path in [start, *start.parents]:
            found[str(path)] = os.stat(path).st_mode
    return found


def traces(host: Host) -> list[str]:
    """Everything an attack left on the host: marker files, exfiltrated files, fill files."""
    found = [str(p) for p in host.markers if os.path.lexists(p)]
    found += [str(p) for p in host.exfil.iterdir()]
    for place in ("/tmp", os.path.expanduser("~"), "/var/tmp", "/dev/shm"):
        try:
            found += [str(p) for p in Path(place).glob(f"*{host.token}*")]
        except OSError:
            pass
    return sorted(set(found))


def remove_traces(host: Host) -> None:
    """Clean up after a grader that let an attack through (so one failure does not leak on)."""
    for item in traces(host):
        path = Path(item)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def survivors(token: str) -> list[str]:
    """Processes that carry the token: daemons, fork-bomb children (by name or argv); not the
    victim the test itself started."""
    found = []
    for proc in psutil.process_iter(["pid", "name", "cmdline"]):
        try:
            text = (proc.info["name"] or "") + " " + " ".join(proc.info["cmdline"] or [])
        except psutil.Error:
            continue
        if f"victim-{token}" in text:
            continue
        if token in text or ("bomb" + token[:10])[:15] in text:
            found.append(f"{proc.info['pid']} {text[:120]}")
    return found


def kill_survivors(token: str) -> None:
    for line in survivors(token):
        try:
            psutil.Process(int(line.split()[0])).kill()
        except psutil.Error:
            pass


def start_victim(token: str) -> subprocess.Popen:
    """A host process the signal attack tries to kill; it must outlive the run."""
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(4 * 3600)", f"victim-{token}"],  # killed by the test
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def process_count() -> int:
    return len(psutil.pids())


def free_bytes(path: str = "/tmp") -> int:
    return shutil.disk_usage(path).free


def grader_root() -> Path:
    """Where ``python -m autograder`` is run from: this repository, or (to show which attacks
    an older grader lets through) a copy named by ``MLSYS_ATTACK_GRADER_ROOT``."""
    return Path(os.environ.get("MLSYS_ATTACK_GRADER_ROOT", ROOT))


def sandbox_ready() -> tuple[bool, str]:
    """Whether the sandboxed grader is in place (only then do the destructive cases run)."""
    sandbox = grader_root() / "autograder" / "grading" / "sandbox.py"
    if not sandbox.exists():
        return False, f"{sandbox} does not exist"
    helped = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--help"],
        cwd=grader_root(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "--unsafe-no-isolation" not in helped.stdout:
        return False, "`python -m autograder grade --help` does not show --unsafe-no-isolation"
    return True, "sandbox present"


def wait_until(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()
