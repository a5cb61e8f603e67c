"""Seeded synthetic data sets: clinic telemetry, a screening cohort with subgroups, a network
of clinics, training-serving skew. Import them by their flat names (``mlsys_lab.data.telemetry``).
"""
