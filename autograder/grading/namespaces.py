"""Linux namespaces and mounts made by hand, for the sandboxes that do not use bubblewrap.

Two users, both before any student code runs in the process they prepare:

* the ``user`` sandbox (:mod:`autograder.grading.confinement`): the grader runs as root, and a
  forked child makes mount, PID, network, IPC and UTS namespaces with root's ``CAP_SYS_ADMIN``,
  builds a root like bubblewrap's, switches to it and drops to an unprivileged uid;
* the warm executor's child (:mod:`autograder.grading.zygote`): inside bubblewrap, a child of the
  zygote makes a user namespace of its own with the others, a fresh ``/tmp`` and ``/dev/shm``,
  and gives up every capability (:func:`enter_fresh_namespaces`).

This file is also imported *inside* the sandbox (as ``namespaces``, beside ``runner.py``), so it
uses the standard library only.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import stat
from pathlib import Path

ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/fonts",
    "/etc/alternatives",
    "/etc/mime.types",
)

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
MNT_DETACH = 2
CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS = 0x20000, 0x40000000, 0x08000000, 0x04000000
CLONE_NEWPID = 0x20000000
USER_MODE_NAMESPACES = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}.get(os.uname().machine)
LIBC = ctypes.CDLL(None, use_errno=True)
SANDBOX_REFUSED = 125
"""Exit status of a child that refused to run the runner without the isolation it needs."""
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")


def refuse(why: str) -> None:
    """In the forked child: say why on stderr and exit before the runner starts."""
    os.write(2, f"mlsys-sandbox: {why}\n".encode())
    os._exit(SANDBOX_REFUSED)


def unshare(flags: int) -> bool:
    return LIBC.unshare(flags) == 0


def become_pid_one(report_fd: int | None = None) -> None:
    """After ``unshare(CLONE_NEWPID)`` only a child enters the new PID namespace: fork it. This
    process waits for it, holding nothing open, and exits as it did (128 + signal, as bubblewrap
    reports it); the child goes on to run the runner as PID 1 (killing it ends the namespace).
    ``report_fd``: where this process writes the child's pid first (the zygote kills it there)."""
    pid = os.fork()
    if pid == 0:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if report_fd is not None:
            os.close(report_fd)
        return
    if report_fd is not None:
        try:
            os.write(report_fd, f"{pid}\n".encode())
        except OSError:
            pass
    os.closerange(0, 1 << 16)  # the error pipe of subprocess among them: the parent must not wait on us
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(SANDBOX_REFUSED)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def mount(source, target, fstype, flags: int, data=None) -> int:
    enc = lambda x: x if x is None or isinstance(x, bytes) else str(x).encode()  # noqa: E731
    return LIBC.mount(enc(source), enc(target), enc(fstype), flags, enc(data))


def bind_into(stage: str, source: Path, dest: Path, writable: bool = False) -> None:
    """Bind ``source`` at ``stage/dest`` (read-only unless ``writable``); a missing source is skipped."""
    if not os.path.lexists(source):
        return
    target = os.path.join(stage, str(dest).lstrip("/"))
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    if mount(source, target, None, MS_BIND | MS_REC) != 0:
        refuse(f"bind-mounting {source} failed (errno {ctypes.get_errno()})")
    if not writable:  # keep the flags the kernel locks (nosuid, nodev, noexec), add read-only and nosuid
        kept = os.statvfs(source).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | kept)


def enter_user_root(stage: str, binds, hide, tmp_mb: int, home: str, uid: int) -> None:
    """In the forked child, still root, PID 1 of new namespaces: build a root like bubblewrap's
    in ``stage`` (an empty host folder of this run), switch to it, mount a fresh /proc."""
    os.umask(0o022)
    if mount("none", "/", None, MS_REC | MS_PRIVATE) != 0:
        refuse("making mounts private failed")
    if mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=755,size={tmp_mb}m") != 0:
        refuse("the sandbox root (tmpfs) failed")
    tmp = os.path.join(stage, "tmp")
    os.makedirs(tmp)
    if mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_mb}m") != 0:
        refuse("the private /tmp failed")
    for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            os.symlink(os.readlink(host), os.path.join(stage, name))
        elif host.is_dir():
            bind_into(stage, host, host)
    bind_into(stage, Path("/usr"), Path("/usr"))
    for path in ETC_FILES:
        bind_into(stage, Path(path), Path(path))
    for source, dest in binds:
        bind_into(stage, source, dest)
    dev = os.path.join(stage, "dev")
    os.makedirs(dev)
    mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, f"mode=755,size={tmp_mb}m")
    for node in DEV_NODES:
        bind_into(stage, Path("/dev") / node, Path("/dev") / node, writable=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1")):
        os.symlink(target, os.path.join(dev, name))
    os.symlink("/proc/self/fd/2", os.path.join(dev, "stderr"))
    os.makedirs(os.path.join(dev, "shm"))
    os.chmod(os.path.join(dev, "shm"), 0o1777)
    os.makedirs(os.path.join(stage, "proc"))
    for path in hide:  # a hidden folder that lies inside a bound one
        target = os.path.join(stage, str(path).lstrip("/"))
        if os.path.isdir(target):
            mount("tmpfs", target, "tmpfs", 0, "mode=700,size=1m")
    if home:
        target = os.path.join(stage, home.lstrip("/"))
        os.makedirs(target, mode=0o755, exist_ok=True)
        os.chown(target, uid, uid)
    os.chdir(stage)
    if SYS_PIVOT_ROOT is not None and LIBC.syscall(SYS_PIVOT_ROOT, b".", b".") == 0:
        LIBC.umount2(b".", MNT_DETACH)
    elif mount(".", "/", None, MS_MOVE) == 0:
        os.chroot(".")
    else:
        refuse(f"switching to the sandbox root failed (errno {ctypes.get_errno()})")
    os.chdir("/")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # this PID namespace's only
    LIBC.sethostname(b"grader", 6)
    os.chdir(home or "/tmp")


def private_view(expose: list[Path]) -> None:
    """bubblewrap started as a stranger uid by root: in the forked child, still root, a private
    mount namespace in which each folder of ``expose`` (a Python under /root, say) can be reached
    by that uid (its untraversable ancestor covered by an empty tmpfs, the folder bound back)."""
    if not unshare(CLONE_NEWNS):
        refuse(f"unshare(CLONE_NEWNS) failed (errno {ctypes.get_errno()})")
    if mount("none", "/", None, MS_REC | MS_PRIVATE) != 0:
        refuse("making mounts private failed")
    fds = {path: os.open(path, os.O_PATH) for path in expose}
    covers = []
    for path in expose:
        top = next((a for a in reversed([path, *path.parents]) if not others_can_traverse(a)), None)
        if top is not None and top not in covers and top != path:
            covers.append(top)
    for top in covers:
        if mount("tmpfs", top, "tmpfs", 0, "mode=755,size=1m") != 0:
            refuse(f"covering {top} failed")
    for path, fd in fds.items():
        os.makedirs(path, exist_ok=True)
        if mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC) != 0:
            refuse(f"bind-mounting {path} failed")
        os.close(fd)


def others_can_traverse(path: Path) -> bool:
    try:
        return bool(os.stat(path).st_mode & stat.S_IXOTH)
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# the warm executor's child: fresh namespaces of its own inside the zygote's bubblewrap

CLONE_NEWUSER = 0x10000000
FRESH_NAMESPACES = CLONE_NEWUSER | USER_MODE_NAMESPACES
NAMESPACE_NAMES = ("user", "mnt", "pid", "net", "ipc", "uts")
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 4, 24, 47, 4
_CAPABILITY_VERSION_3 = 0x20080522


def own_namespaces() -> dict:
    """This process's namespaces, as ``/proc/self/ns`` names them (None: unreadable)."""
    found = {}
    for name in NAMESPACE_NAMES:
        try:
            found[name] = os.readlink(f"/proc/self/ns/{name}")
        except OSError:
            found[name] = None
    return found


def enter_fresh_namespaces(tmp_mb: int, home: str, report_fd: int | None = None) -> None:
    """In a child of the zygote, before any student code: new user, mount, PID, network, IPC
    and UTS namespaces; returns in a great-grandchild, PID 2 of them (PID 1 waits for it), with
    a fresh size-capped ``/tmp`` (holding ``home``) and ``/dev/shm``, a fresh ``/proc``, no capabilities,
    ``no_new_privs`` and no further user namespaces. Whatever fails, it refuses (exit 125)."""
    uid, gid = os.getuid(), os.getgid()
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # the zygote is not: its /proc/self files are not its own
    if not unshare(FRESH_NAMESPACES):
        refuse(f"no fresh namespaces for the warm child (unshare: errno {ctypes.get_errno()})")
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
        except OSError as exc:
            refuse(f"mapping the warm child's user failed ({name}: {exc.strerror})")
    become_pid_one(report_fd)
    if mount("none", "/", None, MS_REC | MS_PRIVATE) != 0:
        refuse("making the warm child's mounts private failed")
    fresh_tmp_keeping_binds(tmp_mb)
    if os.path.isdir("/dev/shm"):
        if mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, f"mode=1777,size={tmp_mb}m") != 0:
            refuse(f"a fresh /dev/shm failed (errno {ctypes.get_errno()})")
    if mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC) != 0:
        refuse(f"a fresh /proc failed (errno {ctypes.get_errno()})")
    LIBC.sethostname(b"grader", 6)
    _loopback_up()
    os.makedirs(home, mode=0o755, exist_ok=True)
    try:  # this user namespace may make no other: what the student could mount stays out of reach
        with open("/proc/sys/user/max_user_namespaces", "w") as f:
            f.write("0")
    except OSError as exc:
        refuse(f"closing user namespaces failed ({exc.strerror})")
    drop_capabilities()
    if LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        refuse("prctl(PR_SET_NO_NEW_PRIVS) failed")
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # the zygote is not dumpable; this child's /proc is its own
    become_pid_one()  # PID 1 stays a reaper, as bubblewrap's: the runner is PID 2, and signals kill it


def read_only_binds_under(top: str) -> list[str]:
    """The outermost mount points strictly below ``top`` (bubblewrap's read-only binds of a course
    or Python installation that lives under ``/tmp``), from ``/proc/self/mountinfo``."""
    points = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split()[4])
            if point.startswith(top.rstrip("/") + "/"):
                points.append(point)
    outermost: list[str] = []
    for point in sorted(points):
        if not any(point.startswith(kept + "/") for kept in outermost):
            outermost.append(point)
    return outermost


def fresh_tmp_keeping_binds(tmp_mb: int, stage: str = "/dev/shm") -> None:
    """A fresh size-capped ``/tmp`` for this child. Paths bubblewrap bound read-only under the
    sandbox's ``/tmp`` (a checkout or virtual environment kept in ``/tmp``) are bound into the new
    one first, on a staging mount that then moves over ``/tmp``: without them the child could not
    import Python. Each kept bind must be read-only, or the child refuses."""
    flags, options = MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_mb}m"
    keep = read_only_binds_under("/tmp")
    if not keep:
        if mount("tmpfs", "/tmp", "tmpfs", flags, options) != 0:
            refuse(f"a fresh /tmp failed (errno {ctypes.get_errno()})")
        return
    if not os.path.isdir(stage) or mount("tmpfs", stage, "tmpfs", flags, options) != 0:
        refuse(f"a staging mount for the fresh /tmp failed (errno {ctypes.get_errno()})")
    for source in keep:
        target = os.path.join(stage, os.path.relpath(source, "/tmp"))
        if os.path.isdir(source):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "a").close()
        if mount(source, target, None, MS_BIND | MS_REC) != 0:
            refuse(f"keeping {source} in the fresh /tmp failed (errno {ctypes.get_errno()})")
        if not os.statvfs(target).f_flag & os.ST_RDONLY:
            refuse(f"{source} would be writable in the fresh /tmp")
    if mount(stage, "/tmp", None, MS_MOVE) != 0:
        refuse(f"moving the fresh /tmp into place failed (errno {ctypes.get_errno()})")


def _loopback_up() -> None:
    """This network namespace's own loopback, up as bubblewrap leaves it (nothing else exists)."""
    import fcntl
    import socket
    import struct

    siocsifflags, iff_up_loopback_running = 0x8914, 0x1 | 0x8 | 0x40
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            fcntl.ioctl(s, siocsifflags, struct.pack("16sH14x", b"lo", iff_up_loopback_running))
    except OSError as exc:
        refuse(f"the warm child's loopback failed ({exc.strerror})")


def drop_capabilities() -> None:
    """Give up every capability: bounding set, ambient, effective, permitted, inheritable."""
    for cap in range(64):
        LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if LIBC.capset(header, data) != 0 or effective_capabilities() != 0:
        refuse(f"dropping capabilities failed (errno {ctypes.get_errno()})")


def effective_capabilities() -> int | None:
    """``CapEff`` of this process (None: unreadable)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return None
