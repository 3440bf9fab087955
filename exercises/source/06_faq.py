# %% [markdown]
# # Exercises 6 · Claims checked
#
# Three claims from the source articles and the literature, each to predict and then test. They go with
# [frequently asked questions](../../chapters/06_faq/01_faq.ipynb) and
# [claims checked](../../chapters/06_faq/02_claims_checked.ipynb).
#
# Write your answer in the cell marked `raise NotImplementedError(...)` *before* running the experiment, then
# run the experiment and the check: the check compares your answer with what the course library measures and
# explains the result.

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, data, nets, plots, schedules
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 6.1 · What kind of decay is it? (predict, then run, core, ~5 min)
#
# > **The documents say** (A1 §3.2): 「**指数衰减学习率**：在训练过程中，学习率逐渐减小……数学模型公式为：$\alpha_t = \alpha \times (1 - \frac{t}{T})^{\gamma}$」
# > — "**Exponentially decaying learning rate**: during training the learning rate decreases gradually …
# > the formula is $\alpha_t = \alpha (1 - t/T)^\gamma$."
#
# Which kind of decay is that formula really: `"exponential"`, `"polynomial"`, `"step"` or `"cosine"`?

# %%
decay = ...  # one of "exponential", "polynomial", "step", "cosine"
### BEGIN SOLUTION hint: set decay above to one of the four words, then delete this line
decay = "polynomial"
### END SOLUTION

# %% [markdown]
# Run it: A1's formula next to the library's polynomial and exponential decay.

# %%
alpha, T, gamma = 0.1, 100, 2.0
t = np.arange(T + 1)
curves = {
    "A1's formula α(1 − t/T)^γ": alpha * (1 - t / T) ** gamma,
    "schedules.polynomial_decay (power γ)": schedules.schedule_values(
        schedules.polynomial_decay, t, base_lr=alpha, total_iters=T, power=gamma),
    "schedules.exponential_decay (γ = 0.97)": schedules.schedule_values(
        schedules.exponential_decay, t, base_lr=alpha, gamma=0.97),
}
fig, ax = plt.subplots()
for i, (label, values) in enumerate(curves.items()):
    ax.plot(t, values, label=label, linestyle=("-", "--", ":")[i])
ax.set_title("A1's \"exponential decay\" against the library's schedules")
ax.set_xlabel("step t")
ax.set_ylabel("learning rate η")
ax.legend()
plt.show()

# %%
check.decay_kind(decay)

# %% [markdown]
# ## Exercise 6.2 · Does Adam always converge on a convex problem? (predict, then run, core, ~10 min)
#
# Reddi, Kale & Kumar (2018) built an online convex problem on $x \in [-1, 1]$ (`data.reddi_online(C=3)`):
# at steps $t = 1, 4, 7, \dots$ the loss is $3x$, at all other steps it is $-x$. Over every three steps the
# total is $x$, so the best point is $x^* = -1$ and the worst is $+1$. Three runs of 3000 steps with
# $\eta_t = 0.1/\sqrt t$, from $x = 0.5$, projected back onto $[-1, 1]$ after each step:
#
# | key | rule | $(\beta_1, \beta_2)$ |
# |---|---|---|
# | `"adam, betas=(0, 0.1)"` | Adam | $(0, 0.1)$, the paper's $\beta_2 = 1/(1 + C^2)$ |
# | `"amsgrad, betas=(0, 0.1)"` | AMSGrad | $(0, 0.1)$ |
# | `"adam, betas=(0.9, 0.999)"` | Adam | torch's defaults |
#
# **Predict** for each whether it ends on the side of the best point ($x < 0$: `True`) or of the worst
# ($x > 0$: `False`).

# %%
finds_the_optimum = {"adam, betas=(0, 0.1)": ..., "amsgrad, betas=(0, 0.1)": ..., "adam, betas=(0.9, 0.999)": ...}
### BEGIN SOLUTION hint: replace each ... above with True or False, then delete this line
finds_the_optimum = {"adam, betas=(0, 0.1)": False, "amsgrad, betas=(0, 0.1)": True, "adam, betas=(0.9, 0.999)": True}
### END SOLUTION

# %% [markdown]
# Run it with the library's Adam:

# %%
problem = data.reddi_online(3.0)
runs = {"adam, betas=(0, 0.1)": (False, (0.0, 0.1)), "amsgrad, betas=(0, 0.1)": (True, (0.0, 0.1)),
        "adam, betas=(0.9, 0.999)": (False, (0.9, 0.999))}
fig, ax = plt.subplots()
for label, (amsgrad, betas) in runs.items():
    x, state, xs = np.array([0.5]), {}, []
    for step in range(1, 3001):
        F.step("adam", x, problem.grad(x, step), state, lr=0.1 / np.sqrt(step), betas=betas, amsgrad=amsgrad)
        x[:] = problem.project(x)
        xs.append(x[0])
    print(f"{label:>25}: x after 3000 steps = {x[0]:+.3f}")
    ax.plot(xs, label=label, color=plots.color_for("amsgrad" if amsgrad else "adam"),
            linestyle="-" if betas[0] == 0 else "--")
ax.axhline(-1, color="gold", linestyle=":", label="best point x* = −1")
ax.set_title("Reddi et al.'s online problem (C = 3)")
ax.set_xlabel("step t")
ax.set_ylabel("x_t")
ax.legend()
plt.show()

# %%
check.reddi_prediction(finds_the_optimum)

# %% [markdown]
# ## Exercise 6.3 · Does a wider network fix vanishing gradients? (predict, then run, core, ~5 min)
#
# > **The documents say** (A5 §1.4.2): 「使用更广的网络是一种更有效的方法……这种方法可以有效地解决梯度消失问题」
# > — "Using a wider network is a more effective method … it can effectively solve the vanishing-gradient
# > problem."
#
# A sigmoid network with 10 hidden layers (Xavier initialization) has vanishing gradients with 16 units per
# layer: layer 1's gradient is a tiny fraction of layer 10's. **Predict**: with 128 units per layer, does
# layer 1's gradient come within $1/100$ of layer 10's (`True`) or not (`False`)?

# %%
wider_fixes_vanishing = ...
### BEGIN SOLUTION hint: replace ... above with True or False, then delete this line
wider_fixes_vanishing = False
### END SOLUTION

# %% [markdown]
# Run it with the course's numpy network:

# %%
split = data.digits()
X, y = split.X_train[:200].astype(np.float64), split.y_train[:200]
norms = {}
for width in (16, 128):
    net = nets.NumpyMLP([64] + [width] * 10 + [10], activation="sigmoid", init="xavier_uniform", seed=0)
    _, grads, _ = net.loss_and_grads(X, y, loss="cross_entropy")
    norms[f"{width} units"] = [np.linalg.norm(dW) for dW, _ in grads[:10]]
    print(f"{width:>4} units: layer 1 / layer 10 = {norms[f'{width} units'][0] / norms[f'{width} units'][-1]:.2g}")
plots.grad_norms_by_layer(norms, title="10 sigmoid layers: narrow and wide", ylabel="‖∂ℓ/∂W⁽ˡ⁾‖₂")
plt.show()

# %%
check.wider_prediction(wider_fixes_vanishing)

# %% [markdown]
# **What to take away.** Read a formula before you trust its name; Adam can fail on a convex problem when
# its second moment forgets too fast (AMSGrad's running maximum, or a long memory $\beta_2 \to 1$, fixes
# that); and width does not touch the per-layer factor that makes gradients vanish — initialization,
# normalization and residual connections do.
