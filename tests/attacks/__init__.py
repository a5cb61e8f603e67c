"""Hostile submissions for the attack suite (tests/test_attacks.py), issue 10 item 4.

* ``cells``: the source of each attack cell, as a student would type it.
* ``build``: hostile notebooks built from the released notebook, each with the exact score its
  honest answers are worth (the only points it may earn): the fixture's cases, a chapter's, the
  Gradescope subset, gathered from ``hostile_notebook`` (the assignment, the host, a case and how
  a hostile notebook is built) and the families ``tampering``, ``lying_answers``, ``escapes`` and
  ``destructive``.
* ``host``: the host side of the escapes: canary file, listener on 127.0.0.1, marker paths,
  surviving processes, free disk.
* ``gradescope``: a temporary root laid out as Gradescope lays out ``/autograder``, and a run
  of the zip's own ``run_autograder`` in it.
"""
