"""Sphinx extension: apply the kernel re-poll workaround before myst-nb runs notebooks.

See ``autograder/authoring/kernels.py``: without it, a cell showing a widget can hang the build.
"""

import sys
from pathlib import Path


def setup(app):
    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from autograder.authoring.kernels import repoll_kernel_channels

    repoll_kernel_channels()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
