# %% [markdown]
# # 0.1 How to use this course
#
# Deep networks are hard to train for a reason you can measure: the gradient that reaches the first layers is
# a long product of per-layer factors, and a long product either shrinks towards zero (**vanishing
# gradients**, 梯度消失) or grows without bound (**exploding gradients**, 梯度爆炸). This course shows that
# product at work, and then every tool that keeps it under control — learning rates and their schedules,
# momentum, adaptive optimizers (AdaGrad, RMSprop, Adam, AMSGrad, AdamW …), gradient clipping,
# initialization, normalization and residual connections.
#
# It is an *executable* textbook. Every page is a notebook that was run to build the book you are reading,
# and every claim about behaviour — "this learning rate diverges", "AMSGrad converges here and Adam does
# not" — ends in an `assert`. If a claim were wrong, the book would not build.
#
# ## Three ways to read it
#
# | You want to … | Do this |
# |---|---|
# | read it like a book | `make book`, then open `build/book/index.html` in a browser |
# | run and change the code | `make lab`: JupyterLab opens on the course; double-click any chapter `.py` and it opens as a notebook |
# | practise | open `exercises/student/`: each exercise has a function to write and a check that tells you, in plain words, what is wrong |
#
# Each chapter exists twice: a `.py` file in *percent format* (what you edit, and what version control diffs
# well) and an `.ipynb` notebook generated from it with `make sync`. The code that chapters share — the
# optimizers, schedules, clipping rules, initializers, networks, data sets and plots — lives once, in the
# `gradcourse` package under `src/`, so the formula you read in a docstring is the formula every chapter runs.
#
# Every chapter runs offline, on a laptop CPU, in well under a minute, and prints the same numbers every time
# (everything is seeded).

# %% [markdown]
# ## Notation
#
# The same symbol means the same thing on every page.
#
# | Symbol | Meaning | In code (PyTorch's argument names) |
# |---|---|---|
# | $\theta$ | the parameters (weights and biases) being trained | `param`, `model.parameters()` |
# | $L(\theta)$ | the loss we minimise; also, as a number, the smoothness constant (below) | `loss` |
# | $g_t = \nabla_\theta L(\theta_t)$ | the gradient (or a mini-batch estimate of it) at step $t$ | `param.grad` |
# | $\eta$ | the learning rate (step size) | `lr` |
# | $t$ | the step counter, starting at $t = 1$ for the first update | `state["step"]` |
# | $\beta_1$ | decay rate of the first-moment (momentum) average $m_t$ | `betas[0]` |
# | $\beta_2$ | decay rate of the second-moment average $v_t$ | `betas[1]` |
# | $\varepsilon$ | a small constant that keeps a division finite | `eps` |
# | $\mu$ | the momentum coefficient in SGD; also, as a number, the strong-convexity constant | `momentum` |
# | $L$ | smoothness: the largest curvature (largest Hessian eigenvalue) of the loss | — |
# | $\kappa = L/\mu$ | the condition number: how much more curved the steepest direction is than the flattest | — |
#
# Two letters do double duty because the literature uses them that way ($L$ for the loss and for the
# smoothness constant, $\mu$ for momentum and for strong convexity); the context always says which.

# %% [markdown]
# ## The map
#
# The course follows the layout of the five Chinese blog articles it started from — background, concepts,
# algorithms with their mathematics, code, trends, and frequently asked questions — and it corrects them where
# they are wrong, each time with a cell that proves the correction.
#
# | Part | What it answers |
# |---|---|
# | **1 · Background** | Why is depth a problem at all? A 20-layer network that does not learn, and the same network made to learn. |
# | **2 · Concepts** | Backpropagation from scratch; vanishing and exploding gradients as a product of Jacobians; what the learning rate does. |
# | **3 · Algorithms** | GD, SGD, momentum, Nesterov, AdaGrad, RMSprop, Adadelta, Adam, AMSGrad, AdamW; schedules; clipping; initialization; normalization and residuals — each with its formula, its code and an experiment. |
# | **4 · Code** | The source articles' own code, run as printed, what goes wrong with it, and the repaired version; a case study on real data; diagnosing a sick network. |
# | **5 · Trends** | Large-batch training, data-parallel training, low precision, newer optimizers. |
# | **6 · FAQ** | Every question the articles ask, answered with a cell; every claim they make, checked; the references. |

# %% [markdown]
# ## A first experiment: the one inequality behind "too large a learning rate"
#
# Take the simplest loss there is, a one-dimensional quadratic $L(\theta) = \tfrac{1}{2} L\,\theta^2$ whose
# curvature is $L$. Gradient descent, $\theta_{t+1} = \theta_t - \eta\, g_t$ with $g_t = L\,\theta_t$, gives
#
# $$\theta_{t+1} = (1 - \eta L)\,\theta_t \qquad\Longrightarrow\qquad \theta_t = (1-\eta L)^t\,\theta_0 .$$
#
# So the iterates shrink when $|1-\eta L| < 1$, that is when $0 < \eta < 2/L$, and grow geometrically when
# $\eta > 2/L$. Too large a learning rate does not make training "a bit noisy": it makes it *diverge*. Part 2
# shows the same bound on a whole network. Here we check it with the course's own gradient-descent code
# (`gradcourse.optim.functional`, the rule that `gradcourse.optim.SGD` also runs).

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import plots, problems
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

curvature = 4.0  # L: the largest (here the only) curvature of the loss
quad = problems.Quadratic(kappa=1.0, L=curvature)  # κ = 1: the same curvature L in both directions
bound = quad.max_stable_lr  # 2 / L
print(f"L = {quad.L},  2/L = {bound}")

etas = {"η = 0.25·(2/L)": 0.25 * bound, "η = 0.95·(2/L)": 0.95 * bound, "η = 1.05·(2/L)": 1.05 * bound}
runs = {label: problems.run(quad, "sgd", x0=np.array([1.0, 1.0]), steps=40, lr=eta) for label, eta in etas.items()}
distance = {label: np.linalg.norm(traj, axis=1) for label, traj in runs.items()}

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for label, d in distance.items():
    ax.semilogy(d, marker=".", label=label)
ax.set_title("Gradient descent on a quadratic: stable iff η < 2/L")
ax.set_xlabel("step t")
ax.set_ylabel("distance to the minimum ‖θ_t − θ*‖ (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# The prediction is exact, not approximate: after $t$ steps the distance is $|1-\eta L|^t$ times where it
# started. The cell below checks the three runs against that formula and the two claims it implies.

# %%
steps = np.arange(41)
for label, eta in etas.items():
    predicted = np.abs(1 - eta * curvature) ** steps * distance[label][0]
    np.testing.assert_allclose(distance[label], predicted, rtol=1e-9)

assert distance["η = 0.25·(2/L)"][-1] < 1e-11, "at a quarter of the bound the error halves every step"
assert distance["η = 0.95·(2/L)"][-1] < distance["η = 0.95·(2/L)"][0], "below 2/L the distance shrinks"
assert distance["η = 1.05·(2/L)"][-1] > 5 * distance["η = 1.05·(2/L)"][0], "above 2/L it grows geometrically"
print("η < 2/L converges, η > 2/L diverges: checked.")

# %% [markdown]
# ## What we learned
#
# - Gradient descent on a quadratic multiplies the error by $(1-\eta L)$ each step: it converges if and only if
#   $\eta < 2/L$. At $\eta = 1/L$ the factor is $0$: one step lands exactly on the minimum of a
#   one-curvature quadratic (with several curvatures no single $\eta$ can do that — part 2).
# - "Too large a learning rate" means divergence, not slow or noisy progress. (One of the source articles
#   says a large learning rate causes *overfitting*; part 6 checks that claim.)
# - Every page of this course works like this one: a formula, the code that runs it, an experiment with a
#   figure, and an `assert` that makes the claim fail loudly if it were false.
