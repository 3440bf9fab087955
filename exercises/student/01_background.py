# %% [markdown]
# # Exercises 1 · Background: why depth is hard
#
# Three exercises that go with [1.1 Why depth makes training hard](../../chapters/01_background/01_why_depth_is_hard.ipynb)
# and [1.2 A first experiment](../../chapters/01_background/02_first_experiment.ipynb).
#
# **How to work.** Each exercise has a cell to fill in — replace the line
# `raise NotImplementedError(...)` with your code — and a *check* cell right after it. Run the check: it
# answers ✓ or tells you, in plain words, what came back, what was expected and the likely cause. Write the
# obvious code; do not import the course's own implementation of the thing you are asked to write (the check
# compares you with it).
#
# Notation as in the course: $z$ a pre-activation, $h = \sigma(z)$ a unit's output, $w$ a weight,
# $\sigma(z) = 1/(1+e^{-z})$ the logistic sigmoid.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch.nn.functional as F

from gradcourse import check, data, diagnostics, nets, plots
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 1.1 · The slope of the sigmoid (implement, core, ~10 min)
#
# Back-propagation through a sigmoid unit multiplies the gradient by its slope
#
# $$\sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big).$$
#
# Write `sigmoid_prime(z)` for a numpy array `z` (elementwise). It must also work for large $|z|$, e.g.
# $z = -800$, without returning NaN.

# %%
def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z)), elementwise."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: compute σ(z) once and reuse it; it stays finite where e^(−z) overflows')


# %%
check.sigmoid_prime(sigmoid_prime)

# %% [markdown]
# Your $\sigma'$ on a grid: its peak is the largest factor a sigmoid layer can contribute (times its weight).

# %%
z = np.linspace(-8, 8, 401)
fig, ax = plt.subplots()
ax.plot(z, sigmoid_prime(z))
ax.axhline(0.25, color="0.6", linestyle=":", label="1/4")
ax.set_title("The slope of the sigmoid")
ax.set_xlabel("pre-activation z")
ax.set_ylabel("σ'(z)")
ax.legend()
plt.show()

# %% [markdown]
# ## Exercise 1.2 · The gradient through a chain is a product (implement, core, ~15 min)
#
# A chain of one-unit layers: $h_0 = x$, and for $l = 1, \dots, D$
#
# $$z_l = w_l h_{l-1} + b_l, \qquad h_l = \sigma(z_l).$$
#
# The chain rule gives the derivative of the last output with respect to the input as one factor per layer:
#
# $$\frac{dh_D}{dx} = \prod_{l=1}^{D} w_l\, \sigma'(z_l).$$
#
# Write `chain_gradient(x, w, b)` (`w`, `b`: arrays of length $D$) that runs the forward pass and returns
# $dh_D/dx$ as a number. You may use your `sigmoid_prime`.

# %%
def chain_gradient(x, w, b):
    """dh_D/dx for the chain h_l = σ(w_l h_{l−1} + b_l), h_0 = x."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: loop over the layers, carrying h forward and multiplying one factor per layer')


# %%
check.chain_gradient(chain_gradient)

# %% [markdown]
# ## Exercise 1.3 · Which deep networks have vanishing gradients? (predict, then run, core, ~10 min)
#
# Four networks with 20 hidden layers of 64 units, `nets.mlp(64, 10, depth=20, width=64, ...)`, get one
# batch of 256 handwritten digits. For each one, **predict** whether the gradient of hidden layer 1 is
# smaller than $1/100$ of the gradient of hidden layer 20:
#
# | key | activation | initialization |
# |---|---|---|
# | `"sigmoid + xavier"` | sigmoid | Xavier uniform |
# | `"tanh + xavier"` | tanh | Xavier uniform |
# | `"relu + torch default"` | ReLU | `torch.nn.Linear`'s default, $U(\pm 1/\sqrt{n_{\mathrm{in}}})$ |
# | `"relu + he"` | ReLU | He (Kaiming) normal |
#
# Write `True` (vanishes) or `False` for each, *before* running the experiment below.

# %%
vanishes = {"sigmoid + xavier": ..., "tanh + xavier": ..., "relu + torch default": ..., "relu + he": ...}
# YOUR CODE HERE
raise NotImplementedError('Exercise not done yet: replace each ... above with True or False, then delete this line')

# %% [markdown]
# Now run the experiment: the gradient norm of every hidden layer, for the four networks.

# %%
split = data.digits(as_tensors=True)
X, y = split.X_train[:256], split.y_train[:256]
settings = {"sigmoid + xavier": ("sigmoid", "xavier_uniform"), "tanh + xavier": ("tanh", "xavier_uniform"),
            "relu + torch default": ("relu", "default"), "relu + he": ("relu", "kaiming_normal")}
norms = {}
for key, (activation, init) in settings.items():
    model = nets.mlp(64, 10, depth=20, width=64, activation=activation, init=init, seed=0)
    F.cross_entropy(model(X), y).backward()
    by_layer = diagnostics.grad_norms(model)
    norms[key] = [by_layer[f"blocks.{l}.linear"] for l in range(20)]
    print(f"{key:>21}: layer 1 / layer 20 = {norms[key][0] / norms[key][-1]:.2g}")
plots.grad_norms_by_layer(norms, title="20 hidden layers at initialization", ylabel="‖∂ℓ/∂θ_l‖₂")
plt.show()

# %%
check.vanishing_prediction(vanishes)

# %% [markdown]
# **What to take away.** The gradient of an early layer is a product with one factor per layer. The
# sigmoid's factor is at most $1/4$ times the weight, and an initialization that ignores the activation (torch's
# default with ReLU) shrinks it too; the right initialization for the activation keeps it near 1. Part 3
# ([initialization](../../chapters/03_algorithms/09_initialization.ipynb)) derives why.
