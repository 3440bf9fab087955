"""Shared test settings.

pytest runs with two workers on a 2-core machine (`-n 2`); a torch thread pool of 2 in each worker would make
the workers wait on each other's cores (tiny forward/backward passes slow down ~100×). One thread per worker.
"""

from __future__ import annotations

import torch

torch.set_num_threads(1)
