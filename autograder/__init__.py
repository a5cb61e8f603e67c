"""Instructor tooling: build student notebooks and autograders, grade submissions.

Run ``python -m autograder --help`` from the repository root.
"""
