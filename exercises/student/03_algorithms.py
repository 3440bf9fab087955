# %% [markdown]
# # Exercises 3 · Algorithms: momentum, Adam, clipping, initialization, schedules
#
# Eight exercises that go with part 3 of the course: [momentum](../../chapters/03_algorithms/03_momentum_nesterov.ipynb),
# [Adam](../../chapters/03_algorithms/05_adam_family.ipynb), [schedules](../../chapters/03_algorithms/07_schedules.ipynb),
# [clipping](../../chapters/03_algorithms/08_clipping.ipynb) and [initialization](../../chapters/03_algorithms/09_initialization.ipynb),
# and with [the documents' code, repaired](../../chapters/04_code/01_documents_code_repaired.ipynb).
#
# Fill in each cell marked `raise NotImplementedError(...)`, then run the check after it. Write the rules
# yourself in numpy — the checks compare you with the course library (`gradcourse.optim`, which matches
# `torch.optim`; `gradcourse.clip`; `gradcourse.init`; `gradcourse.schedules`), so importing those to answer
# would prove nothing.
#
# Symbols: $\theta$ parameters, $g$ gradient, $\eta$ learning rate (`lr`), $\beta$ SGD's momentum (`momentum`), $\beta_1, \beta_2$
# decay rates (`betas`), $\varepsilon$ (`eps`), $t = 1, 2, \dots$ the step counter, $m$, $v$ first and
# second moments.

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots, problems
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Exercise 3.1 · SGD with momentum, torch's form (implement, core, ~10 min)
#
# `torch.optim.SGD(momentum=β)` keeps a buffer $b$ of past gradients:
#
# $$b_1 = g_1, \qquad b_t = \beta\, b_{t-1} + g_t \ (t \ge 2), \qquad \theta_t = \theta_{t-1} - \eta\, b_t .$$
#
# Write `momentum_step(theta, grad, buf, *, lr, momentum)` returning `(theta, buf)` after one step. `buf`
# is `None` at the first step. (The check changes $\eta$ between steps, so where you put $\eta$ matters.)

# %%
def momentum_step(theta, grad, buf, *, lr, momentum):
    """One step of SGD with momentum (torch's form); returns the new (theta, buf)."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: the first step has no buffer yet; and η is applied after the buffer, not inside it')


# %%
check.momentum_step(momentum_step)

# %% [markdown]
# ## Exercise 3.2 · Find the bug: A3's momentum (find the bug, core, ~15 min)
#
# The source article A3 (§4) implements the *heavy-ball* form of momentum,
# $\theta_{t+1} = \theta_t - \eta\, g(\theta_t) + \beta\,(\theta_t - \theta_{t-1})$, for a linear regression. Here
# is its loop, unchanged except that the gradient is now any function `grad_f(theta)`:

# %%
def momentum_a3(grad_f, theta, lr, beta, iterations):
    """A3's momentum loop (buggy)."""
    theta_prev = np.zeros_like(theta)
    for _ in range(iterations):
        theta = theta - lr * grad_f(theta) + beta * (theta - theta_prev)
        theta_prev = theta.copy()
    return theta


# %% [markdown]
# Run it on the ellipse next to plain gradient descent and the library's momentum, and look at the paths.

# %%
x0, lr, beta = np.array([-4.0, 2.0]), 0.1, 0.9
a3_path = np.array([momentum_a3(problems.ELLIPSE.grad, x0, lr, beta, k) for k in range(40)])
paths = {"A3's momentum": a3_path, "gd": problems.run(problems.ELLIPSE, "gd", x0, 39, lr=lr),
         "momentum": problems.run(problems.ELLIPSE, "momentum", x0, 39, lr=lr, momentum=beta)}
plots.contour_with_trajectories(problems.ELLIPSE, paths, title="A3's momentum vs gradient descent vs momentum")
plt.show()

# %% [markdown]
# Apart from its odd first step, A3's "momentum" follows plain gradient descent. Find out why and write the
# repaired loop. Start with $\theta_{\text{prev}} = \theta_0$ (nothing has moved yet), so that the first step is a
# plain gradient step.

# %%
def momentum_fixed(grad_f, theta, lr, beta, iterations):
    """A3's heavy-ball loop, repaired: θ_{t+1} = θ_t − η g(θ_t) + β(θ_t − θ_{t−1})."""
    # YOUR CODE HERE
    raise NotImplementedError("Exercise not done yet: what is theta - theta_prev at the start of the second iteration of A3's loop?")


# %%
check.momentum_a3_bug(momentum_fixed)

# %% [markdown]
# ## Exercise 3.3 · Adam with bias correction (implement, core, ~15 min)
#
# Adam (Kingma & Ba, 2015), in torch's form:
#
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,$$
# $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
#   \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}.$$
#
# $m_0 = v_0 = 0$ and $t$ counts from 1. Write `adam_step(theta, grad, m, v, t, *, lr, betas, eps)` returning
# `(theta, m, v)`.

# %%
def adam_step(theta, grad, m, v, t, *, lr, betas, eps):
    """One Adam step at step count t (t = 1 first); returns the new (theta, m, v)."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: t starts at 1; correct both moments; ε goes outside the square root')


# %%
check.adam_step(adam_step)

# %% [markdown]
# ## Exercise 3.4 · Find the bugs: A3's Adam (find the bug, challenge, ~20 min)
#
# A3's Adam for the linear regression $Y \approx X\theta$, loss $\frac{1}{2n}\|X\theta - Y\|^2$, gradient
# $g = X^\top (X\theta - Y)/n$. The loop is A3's, unchanged (only `X` now has one column per feature). It has
# **three** bugs.

# %%
def adam_a3(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
    """A3's Adam loop (buggy)."""
    m = len(X)
    v = np.zeros_like(theta)
    m_prev = np.zeros_like(theta)
    v_prev = np.zeros_like(theta)
    for _ in range(iterations):
        m = beta1 * m_prev + (1 - beta1) * (X.T @ (X @ theta - Y)) / m
        v = beta2 * v_prev + (1 - beta2) * (X.T @ (X @ theta - Y) ** 2)
        m_hat = m / (1 - beta1 ** iterations)
        v_hat = v / (1 - beta2 ** iterations)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + epsilon)
        m_prev = m.copy()
        v_prev = v.copy()
    return theta


# %%
rng = np.random.default_rng(1)
X_reg = np.column_stack([np.linspace(-3, 3, 100), np.ones(100)])
Y_reg = X_reg @ np.array([2.0, 0.0]) + rng.normal(size=100)
with np.errstate(all="ignore"):  # A3's loop takes square roots of negative numbers
    print("A3's Adam after 1000 iterations:", adam_a3(X_reg, Y_reg, np.zeros(2), 0.01, 0.9, 0.999, 1e-7, 1000))
print("least squares:                  ", np.linalg.lstsq(X_reg, Y_reg, rcond=None)[0])

# %%
def adam_fixed(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
    """A3's Adam loop, repaired."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: three bugs: look at the name m, at what v averages, and at the exponent in the bias correction')


# %%
check.adam_a3_bug(adam_fixed)

# %% [markdown]
# ## Exercise 3.5 · Clipping by global norm (implement, core, ~10 min)
#
# Treat all gradients $g_1, \dots, g_k$ (one array per parameter) as one long vector; if it is longer than
# `max_norm`, shrink every array by the same factor:
#
# $$\|g\| = \sqrt{\textstyle\sum_i \|g_i\|^2}, \qquad c = \min\!\Big(1, \frac{\mathrm{max\_norm}}{\|g\| + 10^{-6}}\Big),
#   \qquad g_i \leftarrow c\, g_i .$$
#
# Write `clip_by_norm(grads, max_norm)` that returns a new list of clipped arrays (the $10^{-6}$ is
# torch's guard against dividing by zero).

# %%
def clip_by_norm(grads, max_norm):
    """Clip a list of gradient arrays by their global 2-norm; return new arrays."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: one norm for all the arrays together, and one factor c for all of them')


# %%
check.clip_by_norm(clip_by_norm)

# %% [markdown]
# ## Exercise 3.6 · He initialization (implement, core, ~10 min)
#
# For a layer followed by a ReLU, He et al. (2015) draw the weights from
#
# $$W \sim \mathcal N\!\Big(0, \frac{2}{n_{\mathrm{in}}}\Big),$$
#
# with torch's shapes: a Linear weight is `(out, in)`, so $n_{\mathrm{in}} = \text{in}$; a convolution weight
# `(out, in, k1, k2)` has $n_{\mathrm{in}} = \text{in}\cdot k_1 k_2$ (`fan_in` in code). Write `he_normal(shape, rng)` that draws
# such an array with the numpy generator `rng`.

# %%
def he_normal(shape, rng):
    """W ~ N(0, 2/fan_in) of the given shape, drawn with rng."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: fan_in counts the inputs of one output unit: in × the kernel size; rng.normal takes the standard deviation')


# %%
check.he_normal(he_normal)

# %% [markdown]
# ## Exercise 3.7 · Linear warmup, then cosine decay (implement, core, ~15 min)
#
# The schedule of most transformer training runs, with $W$ = `warmup_steps`, $T$ = `total_steps` and steps
# counted from $t = 0$:
#
# $$\eta_t = \eta_0\,\frac{t}{W} \ (t < W), \qquad
#   \eta_t = \eta_0\,\frac{1 + \cos(\pi p)}{2},\ \ p = \min\!\Big(1, \frac{t - W}{T - W}\Big) \ (t \ge W).$$
#
# Write `warmup_cosine(step, *, base_lr, warmup_steps, total_steps)` returning $\eta_t$.

# %%
def warmup_cosine(step, *, base_lr, warmup_steps, total_steps):
    """Learning rate at step t: linear warmup from 0, then cosine decay to 0 at total_steps, then 0."""
    # YOUR CODE HERE
    raise NotImplementedError('Exercise not done yet: two cases, t < W and t ≥ W; np.cos takes radians')


# %%
check.warmup_cosine(warmup_cosine)

# %%
lrs = [warmup_cosine(t, base_lr=0.1, warmup_steps=10, total_steps=100) for t in range(120)]
plots.schedule_curves({"your warmup + cosine": lrs}, title="Linear warmup (10 steps), then cosine (to step 100)",
                      log=False)
plt.show()

# %% [markdown]
# ## Exercise 3.8 · Adam and a gradient spike (predict, then run, core, ~10 min)
#
# A single weight gets the gradient $g = 1$ for 100 steps of Adam (torch's defaults, $\eta = 10^{-3}$), then
# once a spike $g = 100$. **Predict** the length of Adam's step at the spike, $|\Delta\theta| / \eta$ (for
# plain SGD it would be $100$).

# %%
adam_step_after_spike = ...
# YOUR CODE HERE
raise NotImplementedError('Exercise not done yet: replace ... above with a number (the step length in units of η), then delete this line')

# %% [markdown]
# Run it with the library's Adam and SGD and plot the step lengths around the spike.

# %%
lr, steps = 1e-3, {}
for name in ("adam", "sgd"):
    theta, state, lengths = np.zeros(1), {}, []
    for t in range(1, 111):
        before = theta.copy()
        F.step(name, theta, np.full(1, 100.0 if t == 101 else 1.0), state, lr=lr)
        lengths.append(abs(theta - before)[0] / lr)
    steps[name] = lengths
print(f"at the spike: Adam |Δθ|/η = {steps['adam'][100]:.3g}, SGD |Δθ|/η = {steps['sgd'][100]:.3g}")
fig, ax = plt.subplots()
for name, lengths in steps.items():
    ax.semilogy(range(1, 111), lengths, label=name, **plots.style_for(name))
ax.set_title("Step length around a gradient spike at t = 101")
ax.set_xlabel("step t")
ax.set_ylabel("|Δθ| / η")
ax.legend()
plt.show()

# %%
check.adam_spike_prediction(adam_step_after_spike)

# %% [markdown]
# **What to take away.** Where $\eta$ sits and what $t$ is are not details: they change the numbers, and the
# checks could tell. Momentum needs the *previous* position; Adam needs the step counter, the squared gradient
# and $\varepsilon$ outside the root. At the spike itself Adam's step stays about $\eta$ — but Adam does not clip:
# the spike enters $m$, which keeps pushing in its direction for the next steps, and $v$, which keeps later steps
# short for about $1/(1-\beta_2)$ steps. In [3.5](../../chapters/03_algorithms/05_adam_family.ipynb) one spike
# raises Adam's loss about 15-fold. When a spike is spurious (one bad batch), clip the gradient *before* Adam
# ([3.8](../../chapters/03_algorithms/08_clipping.ipynb)); Adam and clipping compose, one does not replace the other.
