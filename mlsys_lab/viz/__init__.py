"""Plots and widgets: thin layers over the calculators, one module per concept.

Each module draws or wires up what a calculator computes and never repeats its math. Widgets
need a live kernel to recompute (Colab, Jupyter); on the static site they show the state they
had when the page was built.
"""
