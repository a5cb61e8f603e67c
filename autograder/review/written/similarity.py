"""Identical and near-identical written answers, so they can be read side by side.

Two answers are *near-identical* when the Jaccard similarity of their word 3-grams ("shingles")
is at least :data:`NEAR`. Comparing every pair is quadratic (2,000 answers are two million
pairs), so candidates come from an inverted index of shingles, leaving out the shingles that
many answers share (stock phrases of the question), which say nothing about copying.
Answers shorter than :data:`MIN_WORDS` words are compared only for exact equality.
"""

from __future__ import annotations

import re
from collections import defaultdict

NEAR = 0.7
MIN_WORDS = 8
COMMON_SHARE = 0.05
"""A shingle found in more than this share of the answers (and in more than 20) is ignored
when finding candidates."""


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def shingles(words: list[str], n: int = 3) -> frozenset:
    if len(words) < n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


def similar_pairs(answers: dict[str, str], near: float = NEAR) -> list[tuple[str, str, float]]:
    """``(key_a, key_b, similarity)`` for every pair of non-blank answers at least ``near``
    alike (1.0 means the same words after lower-casing and dropping punctuation); sorted."""
    normal = {k: normalise(v) for k, v in answers.items() if normalise(v)}
    pairs: dict[tuple[str, str], float] = {}
    by_text = defaultdict(list)
    for key, text in normal.items():
        by_text[text].append(key)
    for keys in by_text.values():
        keys = sorted(keys)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pairs[(a, b)] = 1.0
    sets = {k: shingles(t.split()) for k, t in normal.items() if len(t.split()) >= MIN_WORDS}
    index = defaultdict(list)
    for key, grams in sets.items():
        for gram in grams:
            index[gram].append(key)
    limit = max(20, int(COMMON_SHARE * len(sets)))
    candidates = set()
    for keys in index.values():
        if 1 < len(keys) <= limit:
            keys = sorted(keys)
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    candidates.add((a, b))
    for a, b in candidates:
        if (a, b) in pairs:
            continue
        union = len(sets[a] | sets[b])
        score = len(sets[a] & sets[b]) / union if union else 0.0
        if score >= near:
            pairs[(a, b)] = round(score, 3)
    return sorted((a, b, s) for (a, b), s in pairs.items())


def groups(pairs: list[tuple[str, str, float]]) -> list[list[str]]:
    """Connected groups of similar answers (union-find over the pairs), each sorted."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members = defaultdict(list)
    for x in parent:
        members[find(x)].append(x)
    return sorted(sorted(m) for m in members.values())
