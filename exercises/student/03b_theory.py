# %% [markdown]
# # Exercises 3b · Algorithms: derive it, then let a cell check it
#
# Eight exercises for part 3. Six ask for a **derivation**: you work out a result on paper and type it in as a
# small function of the symbols; the check then *measures* the same quantity with the course library (a run of
# the optimizer, a simulated mini-batch, a deep network) and compares. Two ask you to **build** something: an
# RMSprop step, and BatchNorm's forward and backward pass with a gradient check.
#
# Notation ([0.1](../../chapters/00_preface/01_how_to_use.ipynb)): $\ell$ the loss, $\eta$ the learning rate,
# $\lambda$ a curvature (an eigenvalue of $H$), $\beta$ SGD's momentum, $\beta_1, \beta_2$ Adam's decay rates,
# $B$ the batch size, $N$ the number of examples, $\sigma_g^2$ the variance of a gradient's noise,
# $n_{\mathrm{in}}$ the fan-in, $D$ the depth.
#
# Fill in each cell marked `raise NotImplementedError(...)`, then run the check after it.

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots
from gradcourse.nets import gradcheck
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 3b.1 · The noise of a mini-batch gradient (derive, core, ~20 min)
#
# Goes with [3.1 GD, SGD and mini-batches](../../chapters/03_algorithms/01_gd_sgd_minibatch.ipynb). The $N$
# per-example gradients $g_1, \dots, g_N$ (one coordinate of them, say) have mean $\bar g$ and population variance
# $\sigma^2 = \frac1N\sum_i (g_i - \bar g)^2$. A mini-batch gradient is the mean of $B$ of them drawn **without
# replacement**. Derive its variance. (Hint: write it as $\frac1B\sum_i s_i g_i$ with $s_i \in \{0, 1\}$, and work
# out $\operatorname{Var}(s_i)$ and $\operatorname{Cov}(s_i, s_j)$; check your answer at $B = 1$ and $B = N$.)
#
# Write `minibatch_variance(sigma2, B, N)`. The check enumerates every possible batch of small data sets.

# %%
def minibatch_variance(sigma2, B, N):
    """Variance of the mean of B of N values (population variance σ²) drawn without replacement."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: Var(s_i) = (B/N)(1 − B/N), Cov(s_i, s_j) = −Var(s_i)/(N − 1); the answer is σ²/B times a factor that is 1 at B = 1 and 0 at B = N')


# %%
check.minibatch_variance(minibatch_variance)

# %% [markdown]
# ## Exercise 3b.2 · SGD's noise floor (derive, core, ~25 min)
#
# Goes with [3.2 SGD theory](../../chapters/03_algorithms/02_sgd_theory.ipynb). On $\ell(\theta) = \frac12\lambda\theta^2$,
# SGD sees $g_t = \lambda\theta_t + \xi_t$ with independent noise of mean 0 and variance $\sigma_g^2$, so
#
# $$\theta_{t+1} = (1 - \eta\lambda)\,\theta_t - \eta\,\xi_t .$$
#
# It never reaches the minimum: it settles into a cloud around it. Derive the stationary variance of $\theta$
# (take the variance of both sides, and set $\operatorname{Var}\theta_{t+1} = \operatorname{Var}\theta_t$), then the
# expected loss $\mathbb E[\ell]$ there. Write `sgd_noise_floor(lr, lam, sigma2)`; the check runs 20,000
# chains of the library's SGD.

# %%
def sgd_noise_floor(lr, lam, sigma2):
    """E[ℓ] at stationarity for SGD with step η on ½λθ² with gradient noise of variance σ_g²."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: Var = (1 − ηλ)²Var + η²σ², solve for Var; the loss is ½λθ²')


# %%
check.sgd_noise_floor(sgd_noise_floor)

# %% [markdown]
# For small $\eta\lambda$ the floor is nearly proportional to $\eta$: halve a small learning rate and the floor
# nearly halves. Watch it with the library's SGD:

# %%
rng = np.random.default_rng(0)
fig, ax = plt.subplots()
for lr in (0.4, 0.1, 0.025):
    theta, state, curve = np.full(2000, 3.0), {}, []
    for _ in range(300):
        F.sgd_step(theta, theta + rng.normal(size=theta.shape), state, lr=lr)
        curve.append(0.5 * np.mean(theta**2))
    ax.semilogy(curve, label=f"η = {lr}")
    ax.axhline(sgd_noise_floor(lr, 1.0, 1.0), linestyle=":", color="0.5")
ax.set_title("SGD on ½θ² with noisy gradients: mean loss over 2,000 runs; dotted: your floor")
ax.set_xlabel("step t")
ax.set_ylabel("mean loss ℓ")
ax.legend()
plt.show()

# %% [markdown]
# ## Exercise 3b.3 · How large a step does the heavy ball tolerate? (derive, challenge, ~25 min)
#
# Goes with [3.3 Momentum and Nesterov](../../chapters/03_algorithms/03_momentum_nesterov.ipynb). On
# $\ell(\theta) = \frac12\lambda\theta^2$ the heavy ball $\theta_{t+1} = \theta_t - \eta\lambda\theta_t + \beta(\theta_t - \theta_{t-1})$
# is a linear recursion: $\theta_t = z^t$ solves it when $z^2 - (1 + \beta - \eta\lambda)z + \beta = 0$. It
# converges when both roots satisfy $|z| < 1$.
#
# For $0 \le \beta < 1$ the roots are complex (and $|z| = \sqrt\beta < 1$) for moderate $\eta$; as $\eta$ grows they
# become real, and the stable range ends where one root reaches $z = -1$. Derive the largest stable $\eta$ and
# write `heavy_ball_max_lr(lam, beta)`. The check runs the library's momentum just below and above your value.

# %%
def heavy_ball_max_lr(lam, beta):
    """Largest η for which the heavy ball with momentum β converges on ½λθ²."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: put z = −1 into the characteristic polynomial and solve for η')


# %%
check.heavy_ball_max_lr(heavy_ball_max_lr)

# %% [markdown]
# ## Exercise 3b.4 · One RMSprop step (implement, core, ~10 min)
#
# Goes with [3.4 AdaGrad, RMSprop, Adadelta](../../chapters/03_algorithms/04_adagrad_rmsprop_adadelta.ipynb).
# AdaGrad divides each coordinate's step by the root of the *sum* of its squared gradients, so its steps only
# shrink. RMSprop keeps an exponential average instead, with decay $\alpha$ (torch's `alpha`, $v_0 = 0$):
# each coordinate's step is $\eta\, g / (\sqrt{v} + \varepsilon)$ with $v$ the running average of $g^2$. Write
# `rmsprop_step(theta, grad, v, *, lr, alpha, eps)` returning `(theta, v)`, in torch's form (no bias correction).

# %%
def rmsprop_step(theta, grad, v, *, lr, alpha, eps):
    """One RMSprop step (torch's form); returns the new (theta, v)."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: which of α and 1 − α weighs the old average? and where does ε go?')


# %%
check.rmsprop_step(rmsprop_step)

# %% [markdown]
# ## Exercise 3b.5 · Where Adam's bias correction comes from (derive, core, ~10 min)
#
# Goes with [3.5 Adam and its family](../../chapters/03_algorithms/05_adam_family.ipynb). Adam's first moment
# starts at $m_0 = 0$ and averages $m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t$. Suppose every gradient so far was the
# same $g$. Unroll the recursion and derive $c_t$ in $m_t = c_t\, g$. Write `adam_bias_factor(beta1, t)`; the check
# reads $m_t$ from the library's Adam.

# %%
def adam_bias_factor(beta1, t):
    """c_t with m_t = c_t·g after t equal gradients g, from m_0 = 0."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: m_t = (1 − β₁)(g + β₁g + … + β₁^(t−1) g): a geometric sum')


# %%
check.adam_bias_factor(adam_bias_factor)

# %% [markdown]
# ## Exercise 3b.6 · He's variance from the variance recursion (derive, core, ~20 min)
#
# Goes with [3.9 Initialization](../../chapters/03_algorithms/09_initialization.ipynb). In layer $l$ of a ReLU
# network, $z^{(l)}_i = \sum_{j=1}^{n_{\mathrm{in}}} W_{ij}\, \phi(z^{(l-1)}_j)$ with independent weights of mean 0
# and variance $\operatorname{Var}(W)$, independent of $z^{(l-1)}$, whose entries are symmetric around 0.
#
# 1. Show $\operatorname{Var}(z^{(l)}) = n_{\mathrm{in}}\operatorname{Var}(W)\,\mathbb E[\phi(z^{(l-1)})^2]$.
# 2. Show $\mathbb E[\phi(z)^2] = \frac12\mathbb E[z^2]$ for ReLU and a symmetric $z$.
# 3. Choose $\operatorname{Var}(W)$ so that the variance is the same in every layer.
#
# Write `he_variance(n_in)`. If yours is wrong, the check shows how much a 30-layer network's signal
# grows or shrinks per layer with it.

# %%
def he_variance(n_in):
    """Var(W) that keeps Var(z) constant through a deep ReLU network."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: combine 1 and 2 and ask for a factor of exactly 1 per layer')


# %%
check.he_variance(he_variance)

# %% [markdown]
# ## Exercise 3b.7 · BatchNorm from scratch: forward, backward, gradient check (implement, challenge, ~40 min)
#
# Goes with [3.10 BatchNorm from scratch](../../chapters/03_algorithms/10_batchnorm_from_scratch.ipynb). In
# training mode BatchNorm normalizes each feature over the batch $x$ (shape `(N, features)`):
#
# $$\mu_B = \tfrac1N\textstyle\sum_n x_n, \quad \sigma_B^2 = \tfrac1N\sum_n (x_n - \mu_B)^2, \quad
#   \hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \quad y = \gamma\hat x + b ,$$
#
# with a learned scale $\gamma$ and shift $b$ per feature (torch's `weight` and `bias`; the paper calls the shift
# $\beta$, which here means momentum). Given $dy = \partial\ell/\partial y$, derive $d\gamma$, $db$ and $dx$ — remember that $\mu_B$ and $\sigma_B^2$ depend on **every** $x_n$ — and write
# `batchnorm(x, gamma, shift, dy, eps)` returning `(y, dx, dgamma, dshift)`.

# %%
def batchnorm(x, gamma, shift, dy, eps):
    """BatchNorm's forward pass (training mode) and its backward pass for the upstream gradient dy."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: go backwards through y → x̂ → (σ_B², μ_B) → x, and add up the three paths by which x reaches x̂')


# %% [markdown]
# Before the check, run the gradient check yourself: compare your $dx$ with central finite differences of
# $\ell(x) = \sum y \odot dy$ (whose gradient is exactly the backward pass of $dy$).

# %%
rng = np.random.default_rng(1)
x_bn, gamma_bn, shift_bn, dy_bn = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(6, 3))


def loss_and_grad(x):
    y, dx, _, _ = batchnorm(x, gamma_bn, shift_bn, dy_bn, 1e-5)
    return float(np.sum(y * dy_bn)), dx


print(f"largest relative error of dx against finite differences: {gradcheck.gradient_check(loss_and_grad, x_bn):.1e}")

# %%
check.batchnorm(batchnorm)

# %% [markdown]
# ## Exercise 3b.8 · Why residual connections keep the gradient (derive, core, ~10 min)
#
# Goes with [3.11 Normalization and residual connections](../../chapters/03_algorithms/11_normalization_residuals.ipynb).
# Take $D$ scalar blocks. A plain block computes $h \leftarrow a h$; a residual block $h \leftarrow h + a h$. Derive
# $\partial h_D/\partial h_0$ for both stacks and write `residual_gain(a, D)` returning `(plain, residual)`; the check
# uses torch's autograd. Then compare the two for $a = 0.1$, $D = 20$.

# %%
def residual_gain(a, D):
    """(∂h_D/∂h_0 through D plain blocks, through D residual blocks)."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: the chain rule multiplies one derivative per block')


# %%
check.residual_gain(residual_gain)

# %% [markdown]
# **What to take away.** Each result here was measured, not only derived: mini-batch noise falls as $1/B$ and
# vanishes at $B = N$; SGD's floor is nearly proportional to $\eta$ for small $\eta\lambda$; momentum widens the
# stable range to $\eta < 2(1+\beta)/\lambda$; Adam's $m_t$ starts $1 - \beta_1^t$ too small; ReLU halves the second
# moment, so He doubles the variance; BatchNorm's gradient flows through the batch statistics; and a residual
# block's derivative is $1 + a$, not $a$.
