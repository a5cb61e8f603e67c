"""Run otter-grader's command line with the kernel re-poll workaround applied.

``python -m autograder.authoring.otter_cli assign ...`` is ``otter assign ...`` plus
:func:`autograder.authoring.kernels.repoll_kernel_channels`, so the solution run inside
``otter assign`` cannot hang on a widget cell.
"""

from autograder.authoring.kernels import repoll_kernel_channels


def main() -> None:
    repoll_kernel_channels()
    from otter.cli import cli

    cli(prog_name="otter")


if __name__ == "__main__":
    main()
