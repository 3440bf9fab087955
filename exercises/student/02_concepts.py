# %% [markdown]
# # Exercises 2 · Concepts: back-propagation and the learning rate
#
# Six exercises that go with [2.1 Backpropagation from scratch](../../chapters/02_concepts/01_backprop_from_scratch.ipynb),
# [2.2 Vanishing and exploding gradients](../../chapters/02_concepts/02_vanishing_exploding.ipynb),
# [2.3 The learning rate](../../chapters/02_concepts/03_learning_rate.ipynb),
# [2.4 Sharpness](../../chapters/02_concepts/04_sharpness.ipynb) and [3.6 Preconditioning](../../chapters/03_algorithms/06_preconditioning.ipynb).
#
# Fill in each cell marked `raise NotImplementedError(...)`, then run the check cell after it. Use plain
# numpy; the checks compare your answer with the course library (`gradcourse.nets`, `gradcourse.problems`).

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots, problems
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 2.1 · The backward pass of one layer (implement, core, ~20 min)
#
# A dense layer with a sigmoid takes a batch $x$ (shape `(N, in)`, one example per row) to
#
# $$z = x W^\top + b, \qquad h = \sigma(z),$$
#
# with $W$ of shape `(out, in)` as in `torch.nn.Linear`. Given the gradient $dh = \partial \ell/\partial h$
# arriving from the layers above (shape `(N, out)`), back-propagation computes
#
# $$dz = dh \odot \sigma'(z), \qquad dW = dz^\top x, \qquad db = \textstyle\sum_{\text{rows}} dz, \qquad dx = dz\, W.$$
#
# Write `dense_backward(x, W, b, dh)` returning the tuple `(dx, dW, db)`.

# %%
def dense_backward(x, W, b, dh):
    """Gradients (dx, dW, db) of a layer h = σ(x Wᵀ + b), given dh = ∂ℓ/∂h."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: recompute z from x, W and b, then follow the formulas in order, dz first')


# %%
check.dense_backward(dense_backward)

# %% [markdown]
# ## Exercise 2.2 · The largest stable learning rate (implement, core, ~10 min)
#
# On a quadratic $f(\theta) = \tfrac12 \theta^\top H \theta$ gradient descent $\theta \leftarrow \theta - \eta H\theta$
# multiplies the error along each eigenvector of $H$ by $1 - \eta\lambda$. It converges exactly when
# $|1 - \eta\lambda| < 1$ for every eigenvalue $\lambda$, that is when
#
# $$0 < \eta < \frac{2}{L}, \qquad L = \lambda_{\max}(H)\ \text{(the smoothness constant)}.$$
#
# Write `largest_stable_lr(H)` that returns $2/L$ for a symmetric matrix `H`. (`np.linalg.eigvalsh` gives
# the eigenvalues of a symmetric matrix.)

# %%
def largest_stable_lr(H):
    """2 / L, with L the largest eigenvalue of the symmetric matrix H."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: which eigenvalue of H sets the limit: the largest or the smallest?')


# %%
check.largest_stable_lr(largest_stable_lr)

# %% [markdown]
# ## Exercise 2.3 · Which learning rates diverge? (predict, then run, core, ~10 min)
#
# The ellipse $f(\theta) = 0.1\,\theta_1^2 + 2\,\theta_2^2$ (`problems.ELLIPSE`) has Hessian
# $\operatorname{diag}(0.2, 4)$: $\mu = 0.2$, $L = 4$, $\kappa = 20$. Gradient descent starts at
# $\theta_0 = (-5, -2)$ and takes 100 steps. For $\eta = 0.1$, $0.45$ and $0.55$, **predict** whether it
# diverges (`True`) or converges (`False`).

# %%
will_diverge = {0.1: ..., 0.45: ..., 0.55: ...}
# YOUR CODE HERE
raise NotImplementedError('Exercise not done yet: replace each ... above with True or False, then delete this line')

# %% [markdown]
# Run the experiment: the distance $\|\theta_t\|$ to the minimum, for each learning rate.

# %%
fig, ax = plt.subplots()
for lr in (0.1, 0.45, 0.55):
    path = problems.run(problems.ELLIPSE, "gd", (-5.0, -2.0), 100, lr=lr)
    ax.semilogy(np.linalg.norm(path, axis=1), label=f"η = {lr}" + (" (diverged)" if problems.diverged(path) else ""))
ax.axhline(np.hypot(5, 2), color="0.6", linestyle=":", label="starting distance")
ax.set_title("Gradient descent on the ellipse (L = 4, so 2/L = 0.5)")
ax.set_xlabel("step t")
ax.set_ylabel("distance to the minimum ‖θ_t‖")
ax.legend()
plt.show()

# %%
check.will_diverge(will_diverge)

# %% [markdown]
# ## Exercise 2.4 · How many steps until the gradient is gone? (derive, core, ~15 min)
#
# Goes with [2.2 Vanishing and exploding gradients](../../chapters/02_concepts/02_vanishing_exploding.ipynb).
# A linear recurrent network $h_t = W h_{t-1}$ back-propagates through $\partial h_t/\partial h_{t-1} = W$ at every
# step, so after $T$ steps the gradient has been multiplied by $(W^\top)^T$. Let $W$ be symmetric with spectral
# radius $\rho(W) = \rho < 1$.
#
# 1. On paper: what is the largest factor $\lVert (W^\top)^T\rVert_2$ by which $T$ steps can multiply a gradient's
#    norm? (Diagonalize $W$.)
# 2. Derive the **fewest** steps $T$ after which every gradient has shrunk by at least `factor`.
#
# Write `steps_to_shrink(rho, factor)` returning that integer $T$. The check builds such matrices and counts.

# %%
def steps_to_shrink(rho, factor):
    """Fewest steps T with ρ^T ≤ 1/factor."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: ρ^T ≤ 1/factor; take logarithms, and remember that T is a whole number of steps')


# %%
check.steps_to_shrink(steps_to_shrink)

# %% [markdown]
# ## Exercise 2.5 · The best constant learning rate, and how fast it converges (derive, core, ~20 min)
#
# Goes with [2.3 The learning rate](../../chapters/02_concepts/03_learning_rate.ipynb) and
# [3.6 Preconditioning](../../chapters/03_algorithms/06_preconditioning.ipynb). On a quadratic whose curvatures
# lie between $\mu$ and $L$, gradient descent multiplies the error along an eigenvector with eigenvalue $\lambda$
# by $1 - \eta\lambda$ per step, so the slowest direction shrinks by $\max_{\lambda\in\{\mu, L\}} |1 - \eta\lambda|$.
#
# Derive the step $\eta^*$ that makes this factor smallest, and the factor $\rho^*$ itself, in terms of $L$, $\mu$
# (or $\kappa = L/\mu$). Write `optimal_lr(L, mu)` returning `(eta_star, rate)`. The check runs the library's
# gradient descent with your $\eta^*$ and with $\eta^*$ ± 3 %, and measures the rate.

# %%
def optimal_lr(L, mu):
    """(η*, ρ*) for gradient descent on a quadratic with curvatures in [μ, L]."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: draw |1 − ηL| and |1 − ημ| against η: where is the larger of the two smallest?')


# %%
check.optimal_lr(optimal_lr)

# %% [markdown]
# ## Exercise 2.6 · The sharpness of a network from Hessian-vector products (implement, challenge, ~25 min)
#
# Goes with [2.4 Sharpness](../../chapters/02_concepts/04_sharpness.ipynb). A network's Hessian $H$ is too large to
# form, but autograd gives $Hv$ for any $v$ at the cost of two backward passes. Power iteration finds the
# eigenvalue of largest magnitude from such products alone: $v \leftarrow Hv/\lVert Hv\rVert$, repeated; then
# $\lambda_{\max} \approx v^\top H v$ (for the $H$ of a loss near a minimum, whose large eigenvalues are positive).
#
# Write `sharpness(hvp, dim, iters, rng)` that returns $\lambda_{\max}$ using only `hvp(v)` (a function that
# returns $Hv$ for a numpy vector $v$ of length `dim`); start from `rng.normal(size=dim)`.

# %%
def sharpness(hvp, dim, iters, rng):
    """λ_max of H by power iteration, from Hessian-vector products only."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: normalize v after every product, or it grows like λ_max^k; the Rayleigh quotient vᵀHv/vᵀv gives λ')


# %%
check.sharpness(sharpness)

# %% [markdown]
# **What to take away.** A layer's backward pass multiplies the incoming gradient by $\sigma'(z)$ and by $W$:
# those are the per-layer factors of the product that vanishes or explodes. And the learning rate has a hard
# ceiling, $2/L$, set by the *steepest* direction — the flat ones only decide how slowly you converge below it:
# at best by $(\kappa-1)/(\kappa+1)$ per step. A network's $L$ is its sharpness, and power iteration measures it
# without ever forming $H$.
