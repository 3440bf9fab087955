"""Check for the open-ended exercise 4.7: a training recipe for a deep network on the digits, under a fixed
budget, graded by a validation-loss threshold.

The student chooses the recipe (optimizer, η, schedule, activation, initialization, normalization, residual
connections); the check trains the fixed architecture with the library's :func:`gradcourse.train.train` and
reads the validation loss. There is no single answer: many recipes pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gradcourse.check._core import WrongAnswer, _short, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import check_choice, check_number, require_answer

__all__ = ["BUDGET", "THRESHOLD", "run_recipe", "tune_digits"]

#: The fixed budget: the architecture and the number of passes over the data.
BUDGET = {"depth": 8, "width": 32, "epochs": 3, "batch_size": 64}
#: A recipe passes when the validation cross-entropy after the budget is below this.
THRESHOLD = 0.40
_OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad", "nadam", "radam", "lion")
_CLASSES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad",
            "nadam": "NAdam", "radam": "RAdam", "lion": "Lion"}
_SCHEDULES = ("constant", "cosine", "warmup_cosine")
_CHOICES = {"optimizer": _OPTIMIZERS, "schedule": _SCHEDULES, "activation": ("relu", "tanh", "sigmoid"),
            "init": ("default", "xavier_normal", "kaiming_normal"), "norm": ("none", "batch", "layer")}
_NUMBERS = ("lr", "momentum", "weight_decay", "warmup_steps")
KEYS = tuple(_CHOICES) + _NUMBERS + ("residual",)


def run_recipe(recipe: Mapping[str, Any]) -> tuple[float, float, float]:
    """Train the budget's network with ``recipe``; return (validation loss, validation accuracy, first loss)."""
    import torch

    from gradcourse import data, nets, optim, schedules, train

    model = nets.mlp(64, 10, depth=BUDGET["depth"], width=BUDGET["width"], activation=recipe["activation"],
                     init=recipe["init"], norm=recipe["norm"], residual=bool(recipe["residual"]), seed=0)
    kwargs: dict[str, Any] = {"lr": recipe["lr"], "weight_decay": recipe["weight_decay"]}
    if recipe["optimizer"] == "sgd":
        kwargs["momentum"] = recipe["momentum"]
    optimizer = getattr(optim, _CLASSES[recipe["optimizer"]])(model.parameters(), **kwargs)
    split = data.digits(as_tensors=True)
    total = BUDGET["epochs"] * math.ceil(len(split.X_train) / BUDGET["batch_size"])
    scheduler = None
    if recipe["schedule"] == "cosine":
        scheduler = schedules.to_torch(optimizer, schedules.cosine_annealing, T_max=total)
    elif recipe["schedule"] == "warmup_cosine":
        scheduler = schedules.to_torch(optimizer, schedules.warmup_cosine, warmup_steps=int(recipe["warmup_steps"]),
                                       total_steps=total, hold_at_end=True)
    with torch.random.fork_rng():
        history = train.train(model, split, optimizer, epochs=BUDGET["epochs"], batch_size=BUDGET["batch_size"],
                              scheduler=scheduler, progress=False, record_grad_norms=False, seed=0)
    return history.val_loss[-1], history.val_acc[-1], history.loss[0]


def tune_digits(recipe: Any) -> None:
    """Exercise 4.7: ``recipe`` (a dict with the keys of :data:`KEYS`) must reach a validation loss below
    :data:`THRESHOLD` within :data:`BUDGET`."""
    ex = "tune_digits"
    recipe = require_answer(ex, recipe)
    if not isinstance(recipe, Mapping) or set(recipe) != set(KEYS):
        have = sorted(map(str, recipe)) if isinstance(recipe, Mapping) else _short(recipe)
        raise WrongAnswer(ex, _("recipe should be a dict with exactly the keys {keys}; got {got}.").format(
                              keys=list(KEYS), got=have),
                          _("keep the keys of the template, change only the values."))
    clean = {k: check_choice(ex, recipe[k], allowed, f"recipe[{k!r}]") for k, allowed in _CHOICES.items()}
    clean.update({k: check_number(ex, recipe[k], f"recipe[{k!r}]") for k in _NUMBERS})
    if not isinstance(recipe["residual"], bool):
        raise WrongAnswer(ex, _("recipe['residual'] should be True or False, got {got}.").format(
                              got=_short(recipe["residual"])))
    clean["residual"] = recipe["residual"]
    if clean["lr"] <= 0 or clean["weight_decay"] < 0 or not 0 <= clean["momentum"] < 1:
        raise WrongAnswer(ex, _("η must be > 0, weight_decay ≥ 0 and 0 ≤ momentum < 1."))
    if clean["schedule"] == "warmup_cosine" and not 1 <= clean["warmup_steps"] < 60:
        raise WrongAnswer(ex, _("warmup_steps = {steps:g}: the budget is 66 steps; warm up for 1 to 59 of "
                                "them.").format(steps=clean["warmup_steps"]))
    try:
        val_loss, val_acc, first = run_recipe(clean)
    except Exception as err:  # noqa: BLE001 - training blew up (NaN guard, bad combination): say so
        raise WrongAnswer(ex, _("training stopped: {error}: {message}").format(error=type(err).__name__,
                                                                                message=_short(str(err))),
                          _("a loss that turns NaN or inf means a step far too large: lower η.")) from None
    summary = _("after {epochs} epochs the validation loss is {val_loss:.3f} (accuracy {val_acc:.1%}); the first "
                "mini-batch loss was {first:.3f}, chance is ln 10 ≈ 2.303").format(
                    epochs=BUDGET["epochs"], val_loss=val_loss, val_acc=val_acc, first=first)
    if not val_loss < THRESHOLD:
        stuck = abs(val_loss - math.log(10)) < 0.05
        untreated = clean["activation"] == "sigmoid" and clean["norm"] == "none" and not clean["residual"]
        if stuck and untreated:
            hint = _("the network has not learned at all: with {depth} sigmoid layers, no normalization and no "
                     "residual connections the gradient never reaches the first layers — which fixes from part 3 "
                     "change that?").format(depth=BUDGET["depth"])
        elif stuck:
            hint = _("the network has not learned at all: the loss sits at chance. Look at η first — a step far too "
                     "small hardly moves in the budget, one far too large can kill the ReLU units or saturate the "
                     "outputs at the first steps.")
        else:
            hint = _("it learns, but not fast enough: look at η and its schedule, and at what lets a deep network "
                     "train quickly (3.9–3.11).")
        raise WrongAnswer(ex, _("{summary}; the target is below {threshold}.").format(summary=summary,
                                                                                      threshold=THRESHOLD), hint)
    passed(ex, _("{summary}. Below {threshold}: your recipe works.").format(summary=summary, threshold=THRESHOLD))
