"""The chapters' calculators, one module per concept (bandwidth, roofline, screening, ...).

Import them by their flat names: ``import mlsys_lab as ml; ml.bandwidth.upload_time(...)``.
"""
