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


def point_labels(items: list[dict], x: list, y: list, cell: float = 0.04) -> list[tuple[float, float, str]]:
    """One label per cluster of points: the numbers (``#`` of the report's question table) of
    the questions that fall within ``cell`` of each other, "3, 7, 9", so that labels of
    clustered items do not print over one another."""
    groups: list[list] = []  # each cluster starts at its first point; a point joins the first one near it
    for number, (xi, yi) in enumerate(zip(x, y), start=1):
        if xi is None or yi is None or np.isnan(xi) or np.isnan(yi):
            continue
        near = [g for g in groups if abs(g[0][1] - xi) <= cell and abs(g[0][2] - yi) <= cell]
        if near:
            near[0].append((number, xi, yi))
        else:
            groups.append([(number, xi, yi)])
    labels = []
    for members in groups:
        numbers = [str(n) for n, _, _ in members]
        text = ", ".join(numbers) if len(numbers) <= 6 else ", ".join(numbers[:5]) + f" +{len(numbers) - 5}"
        labels.append((float(np.mean([m[1] for m in members])), float(np.mean([m[2] for m in members])), text))
    return labels


def items(stats: dict, path: Path) -> str:
    plt = _pyplot()
    items = stats["items"]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    x = [i["share_correct"] if i["share_correct"] is not None else np.nan for i in items]
    y = [i["discrimination"] if i["discrimination"] is not None else np.nan for i in items]
    colours = ["#c0392b" if i["flags"] else "#4a78a8" for i in items]
    ax.scatter(x, y, c=colours, s=30)
    for xi, yi, text in point_labels(items, x, y):
        ax.annotate(
            text,
            (xi, yi),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.axhline(0, color="#888", linewidth=0.8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("difficulty: share of submissions with full points")
    ax.set_ylabel("discrimination: item-rest r")
    ax.set_title("Questions by their # in the table (red: flagged)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return (
        "Each question's difficulty against its discrimination, labelled by its number in the table above "
        "(questions that fall together share one label); flagged questions in red"
    )


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
