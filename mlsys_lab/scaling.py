"""Quantities that grow with scale: devices a model needs, traffic a slow fix touches.

Two small calculators for the Conclusion's closing sections:

* **Who can run a model** (Conclusion, §Journey Forward, "The engineering responsibility").
  The iron law that sets a model's speed also sets who can afford it: a model whose
  weights do not fit on one accelerator needs several, and every extra device is a cost
  that shuts someone out. :func:`devices_to_hold` counts the accelerators needed just to
  hold the weights::

      devices = ceil(model_bytes / (capacity x usable_fraction))

  Llama 2 70B at FP16 (140 GB) needs 2 H100s (80 GiB each); at INT4 (35 GB) it needs 1.

* **What a slow response costs** (Conclusion, §Fallacies and Pitfalls, "deploying models
  without automated rollback"). A silently degraded model keeps answering until someone
  rolls it back, so the harm grows with traffic x time-to-correct.
  :func:`requests_exposed` counts the requests served in that window::

      requests = request_rate x (detection_delay + response_delay + ...)

Both return plain numbers (counts). Plain-number defaults: sizes in GB, rates in requests
per second, delays in hours.
"""

from __future__ import annotations

import math
from typing import Any

from . import hardware
from .errors import InputError
from .units import Q_, Number, nonnegative_quantity, positive_quantity, require_probability

__all__ = ["devices_to_hold", "requests_exposed"]


def devices_to_hold(
    model_bytes: Number, device: Any = "h100", usable_fraction: Number = 1.0
) -> int:
    """Smallest number of ``device`` accelerators whose memory holds ``model_bytes``.

    ``usable_fraction`` in (0, 1] is the share of each device's memory left for weights
    (activations, KV cache and runtime take the rest). Only the weights are counted, so
    the result is a lower bound.
    """
    size = positive_quantity(model_bytes, "GB", "model_bytes")
    dev = hardware.get_device(device)
    frac = require_probability(usable_fraction, "usable_fraction")
    if frac == 0.0:
        raise InputError(f"usable_fraction: must be in (0, 1], got {frac:g}")
    usable = dev.memory_capacity.to("GB").magnitude * frac
    # tiny tolerance so that a model exactly filling n devices needs n, not n + 1
    return max(1, math.ceil(size.to("GB").magnitude / usable - 1e-12))


def requests_exposed(request_rate: Number, *delays: Number) -> float:
    """Requests served between the start of a silent failure and its correction.

    ``request_rate`` in requests per second (plain number) or a ``1/time`` quantity;
    ``delays`` are the successive waits (detection, paging a human, the rollback itself),
    hours for plain numbers. Their sum is the exposure window.
    """
    rate = positive_quantity(request_rate, "1 / s", "request_rate")
    if not delays:
        raise InputError("delays: give at least one delay (e.g. the detection delay in hours)")
    window = Q_(0.0, "hour")
    for i, d in enumerate(delays):
        window = window + nonnegative_quantity(d, "hour", f"delays[{i}]")
    return float((rate * window).to("dimensionless").magnitude)
