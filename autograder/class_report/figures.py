"""The report's figures, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def score_distribution(stats: dict, path: Path) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    totals = stats["totals"]
    possible = stats["possible"] or 1
    bins = np.linspace(0, possible, min(int(possible * 2), 40) + 1) if possible > 1 else 10
    if len(totals):
        ax.hist(totals, bins=bins, color="#4a78a8", edgecolor="white")
        ax.axvline(
            stats["summary"]["mean"], color="#b5651d", linestyle="--", label=f"mean {stats['summary']['mean']:.1f}"
        )
        ax.legend(frameon=False)
    ax.set_xlim(0, possible)
    ax.set_xlabel(f"total points (of {possible:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"Score distribution: {stats['graded']} graded submissions")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return "Histogram of the graded submissions' total points"


def items(stats: dict, path: Path) -> str:
    plt = _pyplot()
    items = stats["items"]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    x = [i["share_correct"] for i in items]
    y = [i["discrimination"] if i["discrimination"] is not None else np.nan for i in items]
    colours = ["#c0392b" if i["flags"] else "#4a78a8" for i in items]
    ax.scatter(x, y, c=colours, s=30)
    for i, xi, yi in zip(items, x, y):
        if not np.isnan(yi):
            ax.annotate(i["question"], (xi, yi), textcoords="offset points", xytext=(4, 3), fontsize=8)
    ax.axhline(0, color="#888", linewidth=0.8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("difficulty: share of submissions with full points")
    ax.set_ylabel("discrimination: item-rest r")
    ax.set_title("Questions (red: flagged)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return "Each question's difficulty against its discrimination; flagged questions in red"


def distractors(stats: dict, path: Path) -> str | None:
    entries = stats["distractors"]
    if not entries:
        return None
    plt = _pyplot()
    cols = min(4, len(entries))
    rows = -(-len(entries) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols + 0.6, 1.9 * rows + 0.4), dpi=100, squeeze=False)
    for ax, entry in zip(axes.flat, entries):
        letters = list(entry["counts"])
        counts = [entry["counts"][c] for c in letters]
        colours = [
            "#2e8b57" if c == entry["key"] else ("#c0392b" if c in entry["unused"] else "#9aa9b8") for c in letters
        ]
        ax.bar(letters, counts, color=colours)
        for letter in entry["unused"]:
            ax.annotate(
                "0",
                (letters.index(letter), 0),
                textcoords="offset points",
                xytext=(0, 2),
                ha="center",
                color="#c0392b",
                fontsize=8,
                fontweight="bold",
            )
        ax.set_title(entry["question"], fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(entries) :]:
        ax.axis("off")
    fig.suptitle("Answers picked per multiple-choice question (green: key, red: nobody)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return "Bar charts of how many submissions picked each option of every multiple-choice question"
