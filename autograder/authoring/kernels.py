"""Work around a lost wake-up when a notebook client waits on its kernel.

With jupyter_client's asyncio channels, a client waiting for a kernel message with no
timeout can miss the wake-up for a message that is already in the socket, and then wait
forever while the kernel sits idle (upstream: jupyter/nbclient#312, nbconvert#2029). Here it
showed up on cells that display ipywidgets: about 1 grading in 10-20 of a chapter notebook
hung, in otter's grader, in the tests and in the book build alike.

:func:`repoll_kernel_channels` makes such waits poll again every half second instead of
waiting on one poll forever. No message is dropped: an empty poll simply polls again. Call
it once per process before kernels are used: the grader's worker processes, the test
helpers, and the book build (``book/_ext/kernel_repoll.py``) do.
"""

from __future__ import annotations

_PATCHED = "_mlsys_lab_repoll"


def repoll_kernel_channels(interval: float = 0.5) -> None:
    """Make untimed ``get_msg`` waits on kernel channels re-poll every ``interval`` seconds."""
    from queue import Empty

    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, _PATCHED, False):
        return
    original_get_msg = AsyncZMQSocketChannel.get_msg

    async def get_msg(self, timeout=None):
        if timeout is not None:
            return await original_get_msg(self, timeout)
        while True:
            try:
                return await original_get_msg(self, interval)
            except Empty:
                continue

    setattr(get_msg, _PATCHED, True)
    AsyncZMQSocketChannel.get_msg = get_msg
