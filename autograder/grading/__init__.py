"""Grading that a student cannot forge: two stages, plain data between them.

The flow, one module per step::

    intake    find and read submissions; each becomes a job (its code cells) or a failed row
    sandbox   stage 1: run the code in bubblewrap (runner.py inside), bring back answers.json
      confinement  how a sandboxed process starts: modes, limits, the bwrap command
      namespaces   namespaces and mounts made by hand (user mode, the warm child)
      warm, zygote the warm executor: imports paid once per worker, a fresh child per run
    isolation what the sandbox really gives, measured by a probe before any student code runs
    answers   the answers file: plain values only, checked on both sides of the boundary
    score     stage 2: the otter zip's own tests run on the answers, in a clean process
    pool      workers that do both stages, with limits, kills, retries and the cache
    report    grades.csv, feedback/, results.json, progress and summary
    cli       ``python -m autograder grade``: the command
    gradescope the same two stages behind the Gradescope zip's ``run_autograder``
    messages  the typed messages between these processes
"""
