"""Automatic checks for the exercises: each one runs the student's function on cases and answers in plain words.

Usage in an exercise notebook::

    from gradcourse import check
    check.adam_step(adam_step)      # ✓ … or a sentence saying what is wrong and the likely cause

A check raises :class:`ExerciseError` (shown without a traceback) when something is wrong, so a notebook run
stops at the first unfinished or wrong exercise; it prints a ✓ line and returns None when all is right.
Every exported check is wrapped by :func:`~gradcourse.check._core.guarded`: an answer the check cannot
read gets a sentence, never a traceback.

One module per part of the course holds that part's checks (``background``, ``concepts``, ``algorithms``,
``diagnosing``, ``trends``, ``faq``); :mod:`~gradcourse.check.answers` reads predictions and diagnoses. Every
check is re-exported here under the exercise's name, which is also the name used in the notebooks and in
``exercises/README.md``.

The checks answer in English or in Chinese: ``check.language("zh")``, or ``GRADCOURSE_LANG=zh`` in the environment
of the kernel (:mod:`~gradcourse.check._i18n`).
"""

from __future__ import annotations

from gradcourse.check._core import ExerciseError, NotDone, WrongAnswer, as_array, call, compare, guarded, passed
from gradcourse.check._i18n import language
from gradcourse.check.algorithms import (
    adam_a3_bug,
    adam_spike_prediction,
    adam_step,
    clip_by_norm,
    he_normal,
    momentum_a3_bug,
    momentum_step,
    rmsprop_step,
    warmup_cosine,
)
from gradcourse.check.answers import DIAGNOSES
from gradcourse.check.background import chain_gradient, sigmoid_prime, vanishing_prediction
from gradcourse.check.batchnorm import batchnorm
from gradcourse.check.concepts import dense_backward, largest_stable_lr, sharpness, will_diverge
from gradcourse.check.derivations import (
    adam_bias_factor,
    attention_scale,
    combine_shard_gradients,
    he_variance,
    heavy_ball_max_lr,
    minibatch_variance,
    optimal_lr,
    residual_gain,
    sgd_noise_floor,
    steps_to_shrink,
)
from gradcourse.check.diagnosing import (
    diagnose_a,
    diagnose_b,
    diagnose_c,
    diagnose_d,
    diagnose_e,
    mystery_network,
    xor_a5_bug,
)
from gradcourse.check.faq import decay_kind, reddi_prediction, wider_prediction
from gradcourse.check.trends import fp16_prediction, large_batch_lr, lars_trust_ratio, lion_step
from gradcourse.check.tuning import tune_digits

#: Every exercise check, by part of the course (the order of the exercise notebooks).
EXERCISES: dict[str, tuple[str, ...]] = {
    "01_background": ("sigmoid_prime", "chain_gradient", "vanishing_prediction"),
    "02_concepts": ("dense_backward", "largest_stable_lr", "will_diverge", "steps_to_shrink", "optimal_lr",
                    "sharpness"),
    "03_algorithms": ("momentum_step", "momentum_a3_bug", "adam_step", "adam_a3_bug", "clip_by_norm", "he_normal",
                      "warmup_cosine", "adam_spike_prediction"),
    "03b_theory": ("minibatch_variance", "sgd_noise_floor", "heavy_ball_max_lr", "rmsprop_step", "adam_bias_factor",
                   "he_variance", "batchnorm", "residual_gain"),
    "04_code": ("xor_a5_bug", "diagnose_a", "diagnose_b", "diagnose_c", "diagnose_d", "diagnose_e", "tune_digits"),
    "05_trends": ("lars_trust_ratio", "lion_step", "large_batch_lr", "fp16_prediction", "combine_shard_gradients",
                  "attention_scale"),
    "06_faq": ("decay_kind", "reddi_prediction", "wider_prediction"),
}

for _name in (name for names in EXERCISES.values() for name in names):
    globals()[_name] = guarded(globals()[_name])

__all__ = [
    "DIAGNOSES",
    "EXERCISES",
    "ExerciseError",
    "NotDone",
    "WrongAnswer",
    "adam_a3_bug",
    "adam_bias_factor",
    "adam_spike_prediction",
    "adam_step",
    "as_array",
    "attention_scale",
    "batchnorm",
    "call",
    "chain_gradient",
    "clip_by_norm",
    "combine_shard_gradients",
    "compare",
    "decay_kind",
    "dense_backward",
    "diagnose_a",
    "diagnose_b",
    "diagnose_c",
    "diagnose_d",
    "diagnose_e",
    "fp16_prediction",
    "he_normal",
    "he_variance",
    "heavy_ball_max_lr",
    "large_batch_lr",
    "largest_stable_lr",
    "language",
    "lars_trust_ratio",
    "lion_step",
    "minibatch_variance",
    "momentum_a3_bug",
    "momentum_step",
    "mystery_network",
    "optimal_lr",
    "passed",
    "reddi_prediction",
    "residual_gain",
    "rmsprop_step",
    "sgd_noise_floor",
    "sharpness",
    "sigmoid_prime",
    "steps_to_shrink",
    "tune_digits",
    "vanishing_prediction",
    "warmup_cosine",
    "wider_prediction",
    "will_diverge",
    "xor_a5_bug",
]
