# %% [markdown]
# # Exercises 4 · Code: a broken training loop, five networks to diagnose, a recipe to tune
#
# Seven exercises that go with [the documents' code, repaired](../../chapters/04_code/01_documents_code_repaired.ipynb),
# [diagnosing a network](../../chapters/04_code/04_diagnosing_a_network.ipynb), and with
# [4.2](../../chapters/04_code/02_training_recipe.ipynb), [4.3](../../chapters/04_code/03_case_study_digits.ipynb) and
# [4.5](../../chapters/04_code/05_optimizer_shootout.ipynb) (exercise 4.7).
#
# Fill in each cell marked `raise NotImplementedError(...)`, then run the check after it.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch.nn.functional as F
from torch import nn

from gradcourse import check, diagnostics, plots
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 4.1 · Find the bugs: A5's gradient descent (find the bug, core, ~15 min)
#
# The source article A5 (§4.1) trains one sigmoid unit $\hat y = \sigma(X\theta)$ on XOR with the loss
# $\ell(\theta) = \operatorname{mean}\big((y - \hat y)^2\big)$. Here is its code, tidied to one full-batch step
# per epoch (A5 loops over the examples but recomputes the prediction for all of them each time). Its helper
# `sigmoid_derivative(x)` expects the *output* $\hat y = \sigma(z)$, for which $\sigma'(z) = \hat y(1 - \hat y)$.

# %%
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)


def train_unit_a5(X, y, learning_rate, num_epochs):
    """A5's gradient descent for one sigmoid unit (buggy)."""
    m, n = X.shape
    theta = np.zeros(n)
    for _ in range(num_epochs):
        y_pred = sigmoid(X @ theta)
        gradient = X.T @ (2 * (y - y_pred)) / m
        theta -= learning_rate * gradient
    return theta


# %% [markdown]
# On a problem one unit *can* learn — OR, with a column of ones for the bias — the loss should fall. Watch it:

# %%
X_or = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
y_or = np.array([0.0, 1.0, 1.0, 1.0])


def loss(theta, X, y):
    return float(np.mean((y - sigmoid(X @ theta)) ** 2))


epochs = range(0, 101, 5)
a5_losses = [loss(train_unit_a5(X_or, y_or, 0.5, k), X_or, y_or) for k in epochs]
print("A5's loss on OR after 0, 50, 100 epochs:", [round(a5_losses[i], 3) for i in (0, 10, 20)])

# %% [markdown]
# The loss goes *up*. Write the repaired `train_unit` (same signature, θ starts at 0; you may use `sigmoid`
# and `sigmoid_derivative` from above). There are two mistakes in A5's gradient.

# %%
def train_unit(X, y, learning_rate, num_epochs):
    """Gradient descent on ℓ(θ) = mean((y − σ(Xθ))²) from θ = 0; returns θ."""
    ### BEGIN SOLUTION hint: differentiate mean((y − σ(Xθ))²) by the chain rule: which sign comes out, and which factor does σ contribute?
    m, n = X.shape
    theta = np.zeros(n)
    for _ in range(num_epochs):
        y_pred = sigmoid(X @ theta)
        gradient = -X.T @ (2 * (y - y_pred) * sigmoid_derivative(y_pred)) / m
        theta -= learning_rate * gradient
    return theta
    ### END SOLUTION


# %%
check.xor_a5_bug(train_unit)

# %% [markdown]
# With the bugs fixed the loss on OR falls. On XOR it cannot: at θ = 0 the gradient is exactly zero
# (the four examples cancel), and no single sigmoid unit separates XOR anyway — it needs a hidden layer.

# %%
fixed_losses = [loss(train_unit(X_or, y_or, 0.5, k), X_or, y_or) for k in epochs]
X_xor, y_xor = X_or, np.array([0.0, 1.0, 1.0, 0.0])
xor_losses = [loss(train_unit(X_xor, y_xor, 0.5, k), X_xor, y_xor) for k in epochs]
plots.loss_curves({"A5's code on OR": a5_losses, "repaired, on OR": fixed_losses, "repaired, on XOR": xor_losses},
                  title="One sigmoid unit: A5's loop climbs, the repaired one descends", xlabel="epoch (×5)",
                  ylabel="mean squared error")
plt.show()

# %% [markdown]
# ## Exercises 4.2–4.6 · Diagnose five networks (diagnose, core, ~5 min each)
#
# `check.mystery_network(name)` builds one of five networks, "A" … "E" (12 hidden layers of 32 units each,
# freshly initialised, not trained yet), and returns it with a batch of 128 digits. Something may be wrong with
# each. Look at **both** of its figures and name the problem with one of these words:
#
# | word | what you would see |
# |---|---|
# | `"dead_relu"` | ReLU units that output 0 for *every* example (and so get no gradient) |
# | `"exploding"` | the backward signal grows by orders of magnitude towards the input |
# | `"healthy"` | none of these |
# | `"lr_too_high"` | the loss jumps up and down or grows from step to step |
# | `"saturated"` | tanh/sigmoid outputs piled up at the ends of their range, where the slope is ~0 |
# | `"vanishing"` | the backward signal $\|\partial \ell/\partial h^{(l)}\|$ shrinks by orders of magnitude towards the input |
#
# A word can describe a symptom that another problem causes: name the **cause**. The helper draws what
# [diagnosing a network](../../chapters/04_code/04_diagnosing_a_network.ipynb) teaches: the backward signal
# per layer, and the activations of a few layers with their statistics.

# %%
ACTIVATIONS = (nn.Sigmoid, nn.Tanh, nn.ReLU)


def show(name, layers=(1, 4, 8, 12)):
    """Network `name`: its backward signal per hidden layer, and the activations of a few layers."""
    model, X, y = check.mystery_network(name)
    with diagnostics.LayerRecorder(model, ACTIVATIONS) as rec:
        F.cross_entropy(model(X), y).backward()
    plots.grad_norms_by_layer({f"network {name}": list(rec.signal_norms().values())},
                              title=f"Network {name}: backward signal per hidden layer", ylabel="‖∂ℓ/∂h⁽ˡ⁾‖₂")
    plt.show()
    outputs, stats = list(rec.activations.values()), list(rec.activation_stats().values())
    kind = stats[0].kind
    plots.histograms_by_layer([outputs[l - 1] for l in layers], labels=[f"layer {l}" for l in layers],
                              activation=kind, title=f"Network {name}: {kind} outputs")
    plt.show()
    for l in layers:
        s = stats[l - 1]
        share = f"saturated {s.saturated:.0%}" if kind != "relu" else f"zero {s.zero:.0%}, dead units {s.dead:.0%}"
        print(f"layer {l:>2}: mean {s.mean:+.3f}, std {s.std:.3f}, {share}")


# %% [markdown]
# ### Exercise 4.2 · Network A (diagnose, core, ~5 min)

# %%
show("A")

# %%
diagnosis_a = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
### BEGIN SOLUTION hint: set diagnosis_a above to one of the six words, then delete this line
diagnosis_a = "dead_relu"
### END SOLUTION

# %%
check.diagnose_a(diagnosis_a)

# %% [markdown]
# ### Exercise 4.3 · Network B (diagnose, core, ~5 min)

# %%
show("B")

# %%
diagnosis_b = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
### BEGIN SOLUTION hint: set diagnosis_b above to one of the six words, then delete this line
diagnosis_b = "saturated"
### END SOLUTION

# %%
check.diagnose_b(diagnosis_b)

# %% [markdown]
# ### Exercise 4.4 · Network C (diagnose, core, ~5 min)

# %%
show("C")

# %%
diagnosis_c = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
### BEGIN SOLUTION hint: set diagnosis_c above to one of the six words, then delete this line
diagnosis_c = "healthy"
### END SOLUTION

# %%
check.diagnose_c(diagnosis_c)

# %% [markdown]
# ### Exercise 4.5 · Network D (diagnose, core, ~5 min)

# %%
show("D")

# %%
diagnosis_d = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
### BEGIN SOLUTION hint: set diagnosis_d above to one of the six words, then delete this line
diagnosis_d = "exploding"
### END SOLUTION

# %%
check.diagnose_d(diagnosis_d)

# %% [markdown]
# ### Exercise 4.6 · Network E (diagnose, core, ~5 min)

# %%
show("E")

# %%
diagnosis_e = ...  # one of "dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing"
### BEGIN SOLUTION hint: set diagnosis_e above to one of the six words, then delete this line
diagnosis_e = "vanishing"
### END SOLUTION

# %%
check.diagnose_e(diagnosis_e)

# %% [markdown]
# ## Exercise 4.7 · Make a deep network learn, on a budget (tune, open-ended, challenge, ~45 min)
#
# Goes with [4.2 A training recipe](../../chapters/04_code/02_training_recipe.ipynb),
# [4.3 Case study: the digits](../../chapters/04_code/03_case_study_digits.ipynb) and
# [4.5 The optimizer shoot-out](../../chapters/04_code/05_optimizer_shootout.ipynb). The network is fixed: 8
# hidden layers of 32 units on the digits. So is the budget: 3 epochs, batches of 64 (66 steps). With sigmoid
# units, torch's default initialization and Adam at a constant η it stays at chance (validation loss ≈ 2.30).
#
# Choose a recipe that brings the **validation loss below 0.40** within the budget. You may change the optimizer
# and its η (`momentum` is used by SGD only; `weight_decay` by all), the schedule (`"constant"`, `"cosine"` to 0
# at the end, `"warmup_cosine"` with `warmup_steps`), the activation, the initialization, the normalization
# (`"none"`, `"batch"`, `"layer"`) and residual connections. There is no single answer. Try recipes with
# `check.tuning.run_recipe(recipe)` (it returns the validation loss, the validation accuracy and the first
# mini-batch loss, in a few seconds), and write down why your recipe works.

# %%
recipe = {
    "optimizer": "adam", "lr": ..., "momentum": 0.0, "weight_decay": 0.0,
    "schedule": "constant", "warmup_steps": 0,
    "activation": "sigmoid", "init": "default", "norm": "none", "residual": False,
}
### BEGIN SOLUTION hint: choose η (1e-3 reproduces the failure), edit the rest of the recipe (try it with check.tuning.run_recipe(recipe)), then delete this line
recipe = {
    "optimizer": "adam", "lr": 1e-2, "momentum": 0.0, "weight_decay": 0.0,
    "schedule": "warmup_cosine", "warmup_steps": 5,
    "activation": "relu", "init": "kaiming_normal", "norm": "batch", "residual": True,
}
### END SOLUTION

# %%
check.tune_digits(recipe)

# %% [markdown]
# **What to take away.** Two figures tell most stories: the backward signal per layer (vanishing, exploding)
# and the activations (saturated, dead). About half the entries of a ReLU layer are 0 for any one example —
# that is normal; a *dead* unit is 0 for every example. Each check named the cause, not just the symptom:
# a saturated or dead network also passes back a tiny gradient, but the fix is in the weights and biases.
# And the fixes of part 3 — initialization, normalization, residual connections, a warmed-up schedule —
# are what turn a deep network that sits at chance into one that learns in 66 steps.
