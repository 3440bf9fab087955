# %% [markdown]
# # Exercises 5 · Trends: large batches, data parallelism, low precision, transformers, newer optimizers
#
# Six exercises that go with [large-batch training](../../chapters/05_trends/01_large_batch.ipynb),
# [data-parallel training](../../chapters/05_trends/02_data_parallel.ipynb),
# [low precision](../../chapters/05_trends/03_low_precision.ipynb),
# [transformers](../../chapters/05_trends/04_transformers.ipynb) and
# [newer optimizers](../../chapters/05_trends/05_newer_optimizers.ipynb).
#
# Fill in each cell marked `raise NotImplementedError(...)`, then run the check after it. The checks compare
# you with `gradcourse.optim` (LARS, Lion) and `gradcourse.schedules`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import check, plots
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 5.1 · LARS's trust ratio (implement, core, ~10 min)
#
# LARS (You, Gitman & Ginsburg, 2017) gives every layer its own learning rate, proportional to the size of
# its weights:
#
# $$\eta_{\text{local}} = \eta_{\text{trust}}\,\frac{\|\theta\|}{\|g\| + \lambda\|\theta\|},$$
#
# with $\lambda$ the weight decay and norms over the whole layer (all entries of the array). Convention: the
# ratio is 1 when $\|\theta\| = 0$ (a bias initialised to zero) or when the denominator is 0. Write
# `lars_trust_ratio(theta, grad, *, trust_coefficient, weight_decay)`.

# %%
def lars_trust_ratio(theta, grad, *, trust_coefficient, weight_decay):
    """η_trust·‖θ‖ / (‖g‖ + λ‖θ‖), or 1 if ‖θ‖ or the denominator is 0."""
    p = np.linalg.norm(theta)
    u = np.linalg.norm(grad) + weight_decay * p
    if p == 0 or u == 0:
        return 1.0
    return trust_coefficient * p / u


# %%
check.lars_trust_ratio(lars_trust_ratio)

# %% [markdown]
# ## Exercise 5.2 · One Lion step (implement, core, ~10 min)
#
# Lion (Chen et al., 2023) moves every coordinate by exactly $\eta$, in the direction of the sign of an
# interpolation between momentum and gradient; it updates the momentum afterwards, with a different $\beta$:
#
# $$c = \beta_1 m + (1 - \beta_1)\,g, \qquad \theta \leftarrow \theta - \eta\,\big(\operatorname{sign}(c) + \lambda\theta\big),
#   \qquad m \leftarrow \beta_2 m + (1 - \beta_2)\,g .$$
#
# Write `lion_step(theta, grad, m, *, lr, betas, weight_decay)` returning `(theta, m)`.

# %%
def lion_step(theta, grad, m, *, lr, betas, weight_decay):
    """One Lion step; returns the new (theta, m)."""
    beta1, beta2 = betas
    c = beta1 * m + (1 - beta1) * grad
    theta = theta - lr * (np.sign(c) + weight_decay * theta)
    m = beta2 * m + (1 - beta2) * grad
    return theta, m


# %%
check.lion_step(lion_step)

# %% [markdown]
# ## Exercise 5.3 · The linear scaling rule with gradual warmup (implement, core, ~10 min)
#
# Goyal et al. (2017) trained ImageNet with batches of 8192: when the batch grows by $k = B/B_0$, multiply the
# learning rate by $k$, but reach it gradually — start at the small-batch rate $\eta_0$ and ramp linearly to
# $k\eta_0$ over $W$ steps:
#
# $$\eta_t = \eta_0 + (k\eta_0 - \eta_0)\,\frac{t}{W} \ (t < W), \qquad \eta_t = k\eta_0 \ (t \ge W).$$
#
# Write `large_batch_lr(step, *, base_lr, base_batch, batch, warmup_steps)`.

# %%
def large_batch_lr(step, *, base_lr, base_batch, batch, warmup_steps):
    """Linear scaling rule with gradual warmup (Goyal et al. 2017)."""
    k = batch / base_batch
    target = k * base_lr
    if step >= warmup_steps:
        return target
    return base_lr + (target - base_lr) * step / warmup_steps


# %%
check.large_batch_lr(large_batch_lr)

# %%
curves = {f"batch {b}": [large_batch_lr(t, base_lr=0.1, base_batch=256, batch=b, warmup_steps=20) for t in range(40)]
          for b in (256, 1024, 8192)}
plots.schedule_curves(curves, title="Linear scaling with a 20-step warmup (base batch 256, η₀ = 0.1)", log=True)
plt.show()

# %% [markdown]
# ## Exercise 5.4 · What survives in float16? (predict, then run, core, ~10 min)
#
# In mixed-precision training (autocast) the activations, and the gradients that flow back through them, are
# 16-bit floats; the master weights and their `.grad` stay in float32. For each value below, **predict** whether it
# becomes exactly `0` when stored as `torch.float16` (`True`) or survives (`False`). The last one is $10^{-8}$
# after *loss scaling* by 1024 (the loss, and so every gradient of the 16-bit backward pass, multiplied by 1024
# before `backward()`).

# %%
becomes_zero = {"1e-3": ..., "1e-6": ..., "1e-8": ..., "1e-8 × 1024": ...}
becomes_zero = {"1e-3": False, "1e-6": False, "1e-8": True, "1e-8 × 1024": False}

# %% [markdown]
# Run it. float16's smallest positive number is its smallest subnormal, $2^{-24}$; a value below half of it,
# $2^{-25}$, becomes exactly `0` (the last line prints both; [5.3](../../chapters/05_trends/03_low_precision.ipynb)).

# %%
for key, value in {"1e-3": 1e-3, "1e-6": 1e-6, "1e-8": 1e-8, "1e-8 × 1024": 1e-8 * 1024}.items():
    stored = torch.tensor(value, dtype=torch.float16).item()
    print(f"{key:>12} → float16 {stored:.4g}   (relative error {abs(stored - value) / value:.1%})")
print("float16: smallest normal", torch.finfo(torch.float16).tiny, "  smallest subnormal", np.ldexp(1.0, -24),
      "  half of it", np.ldexp(1.0, -25))

# %%
check.fp16_prediction(becomes_zero)

# %% [markdown]
# ## Exercise 5.5 · Combining the workers' gradients (derive, core, ~15 min)
#
# Goes with [5.2 Data-parallel training](../../chapters/05_trends/02_data_parallel.ipynb). $K$ workers each hold a
# shard of $n_k$ of the $N = \sum_k n_k$ examples and compute the mean gradient $\bar g_k$ of the loss over their
# shard. Derive the gradient of the mean loss over **all** $N$ examples from the $\bar g_k$ and $n_k$, and write
# `combine(grads, sizes)`. When does the plain average $\frac1K\sum_k \bar g_k$ (what an all-reduce followed by a
# division by $K$ gives) agree with it?

# %%
def combine(grads, sizes):
    """The full-batch mean gradient from the workers' shard-mean gradients and shard sizes."""
    total = sum(sizes)
    return sum(n * g for g, n in zip(grads, sizes, strict=True)) / total


# %%
check.combine_shard_gradients(combine)

# %% [markdown]
# ## Exercise 5.6 · Why attention divides by √d (derive, core, ~15 min)
#
# Goes with [5.4 Transformers](../../chapters/05_trends/04_transformers.ipynb). Attention's logits are
# $s\,q^\top k$ for a query $q$ and a key $k$ in $\mathbb R^d$. At initialization take the entries of $q$ and $k$
# independent, with mean 0 and variance 1. Derive $\operatorname{Var}(q^\top k)$, then the scale $s$ that gives the
# logits variance 1 whatever $d$. Write `attention_scale(d)`; the check measures the logits' spread.

# %%
def attention_scale(d):
    """The scale s that gives s·qᵀk unit variance."""
    return 1 / np.sqrt(d)


# %%
check.attention_scale(attention_scale)

# %% [markdown]
# Why it matters: the softmax of logits with a large spread puts almost all its weight on one key, and its
# gradient vanishes. The largest attention weight, averaged over 2,000 random queries against 32 keys:

# %%
gen = torch.Generator().manual_seed(0)
for d in (16, 256):
    q, k = torch.randn(2000, d, generator=gen), torch.randn(32, d, generator=gen)
    raw, scaled = (q @ k.T).softmax(dim=1), (q @ k.T * attention_scale(d)).softmax(dim=1)
    print(f"d = {d:>3}: largest weight {raw.max(dim=1).values.mean():.2f} unscaled, "
          f"{scaled.max(dim=1).values.mean():.2f} scaled by your s")

# %% [markdown]
# **What to take away.** Large batches need a larger learning rate *and* a warmup to reach it; LARS and LAMB
# go further and size each layer's step by its own weights; Lion keeps only the sign. Workers' gradients
# combine weighted by their shard sizes; attention's logits need the $1/\sqrt d$ to keep the softmax from
# saturating. And in half precision, gradients below about $3\cdot10^{-8}$ (half of float16's smallest positive
# number, $2^{-24} \approx 6\cdot10^{-8}$) — common in the first layers of a deep network — become zero unless
# the loss is scaled up first.
