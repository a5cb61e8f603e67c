"""``python -m autograder merge``: join the results of ``grade --shard I/N`` runs."""

from .cli import merge_main as main

__all__ = ["main"]
