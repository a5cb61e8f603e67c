"""Ending a process and everything it started: one ``kill_tree`` for the sandbox and the pool.

A grading run starts a runner (inside bubblewrap, or as a pool worker) in its own session, so
its process group holds what it started; a descendant that left the group is found with
psutil when it is installed (the ``grading`` extra; the Gradescope image may lack it).
"""

from __future__ import annotations

import os
import signal
import subprocess

__all__ = ["kill_tree"]


def kill_tree(process: subprocess.Popen | int) -> None:
    """SIGKILL ``process`` (a Popen, or a pid), its process group and every descendant.

    Given a Popen that has already been waited for, only the group is signalled: its pid may
    belong to another process by now, and its children have been reparented anyway.
    """
    pid = process if isinstance(process, int) else process.pid
    reaped = not isinstance(process, int) and process.returncode is not None
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    if reaped:
        return
    try:
        import psutil
    except ImportError:  # without psutil the group kill above is what there is
        psutil = None
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            procs = []
        for proc in procs:
            try:
                proc.kill()
            except psutil.Error:
                pass
    if not isinstance(process, int):
        try:
            process.kill()
        except OSError:
            pass
