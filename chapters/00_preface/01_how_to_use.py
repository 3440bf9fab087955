# %% [markdown]
# # 0.1 How to use this course
#
# Why are deep networks hard to train, and what makes them trainable? For a reason you can measure: the
# gradient that reaches the first layers is a long product of per-layer factors, and a long product either
# shrinks towards zero (**vanishing gradients**, 梯度消失) or grows without bound (**exploding gradients**,
# 梯度爆炸). This course shows that product at work, and then every tool that keeps it under control —
# learning rates and their schedules, momentum, adaptive optimizers (AdaGrad, RMSprop, Adam, AMSGrad, AdamW …),
# gradient clipping, initialization, normalization and residual connections.
#
# It is an *executable* textbook. Every page is a notebook, and every claim about behaviour — "this learning
# rate diverges", "AMSGrad converges here and Adam does not" — is checked by the cell that makes it: you see a
# line `✓ …` with the measured numbers, and if the claim were false the cell would fail instead.
#
# ## Three ways to read it
#
# | You want to … | Do this |
# |---|---|
# | read it like a book | `make book`, then open `build/book/index.html` in a browser |
# | run and change the code | `make lab`: JupyterLab opens on the course; double-click any chapter `.py` and it opens as a notebook |
# | practise | open `exercises/student/`: each exercise has a function to write and a check that tells you, in plain words, what is wrong |
#
# The code that chapters share — the optimizers, schedules, clipping rules, initializers, networks, data sets
# and plots — lives once, in the `gradcourse` package under `src/`, so the formula you read in a docstring is
# the formula every chapter runs. Every chapter runs offline on a laptop CPU and prints the same numbers every
# time (everything is seeded).

# %% [markdown]
# ## The five source articles, A1–A5
#
# The course grew out of five Chinese blog articles on vanishing gradients and learning rates. None of them
# carries a title in its text; all five follow the same template of numbered sections (背景介绍, 核心概念与联系,
# 核心算法原理…, 具体代码实例…, 未来发展趋势与挑战, 附录常见问题与解答), and the course cites them by that
# numbering: "A4 §3.3" is section 3.3 of the fourth article. Each is identified below by how it opens and what
# it says it is about. Quotations in the course are copied verbatim, in Chinese, with an English translation;
# the articles themselves are not reproduced.
#
# | | Opens with | Author named in the text | What it is about (in its own words) |
# |---|---|---|---|
# | **A1** | heading *1.背景介绍*; first sentence *深度学习是当今最热门的人工智能领域之一，它主要通过多层神经网络来学习复杂的数据表达* | none | vanishing gradients and how they affect optimization, and how to counter them by adjusting the learning rate (*探讨梯度消失问题……如何通过学习率调整来解决这个问题*); TensorFlow code |
# | **A2** | heading *1.简介*; first sentence *在深度学习领域中，涉及到很多数值计算的技巧和方法* | 禅与计算机程序设计艺术 (a pen name) | a "mathematical" analysis of vanishing and exploding gradients (*从数学层面分析梯度消失和爆炸问题*): quadratic roots, Taylor series, clipping, momentum, Adam |
# | **A3** | heading *1.背景介绍*; first sentence *深度学习是人工智能领域的一个重要分支* | none | optimization strategies and techniques in deep learning (*深度学习中的优化策略与技巧*): gradient descent, momentum, Adam on linear regression |
# | **A4** | heading *1.背景介绍*; first sentence *深度学习是当今最热门的人工智能领域之一，它已经取得了令人印象深刻的成果* | none | the stability of gradients and how it affects performance (*梯度的稳定性以及如何影响深度学习性能*) |
# | **A5** | heading *1.背景介绍*; first sentence *深度学习是当今最热门的人工智能领域之一，它的核心在于如何有效地训练神经网络* | none | the history, causes and cures of the vanishing-gradient problem (*梯度消失问题的历史、原因以及如何解决这个问题*); an XOR example in numpy |
#
# The articles have good intuitions and many mistakes. A mistake appears in this book once, as a short
# "Common misconception" box in the chapter that teaches its topic; [6.2](../06_faq/02_claims_checked.ipynb)
# keeps the full record, every claim with its verdict and evidence.

# %% [markdown]
# ## Notation
#
# One symbol means one thing on every page — chapters, exercises, checks and the library's docstrings.
#
# | symbol | meaning | symbol | meaning |
# |---|---|---|---|
# | $\theta$ | parameters | $\ell(\theta)$ | the loss (training objective) |
# | $g_t$ | gradient (or mini-batch estimate) at step $t$ | $\eta$, $\eta_t$ | learning rate, its schedule |
# | $t = 1, 2, \dots$ | step counter; $T$ steps in all | $H = \nabla^2\ell$ | the Hessian |
# | $L$ | smoothness: the largest curvature, $\lambda_{\max}(H)$ on a quadratic | $\mu$ | strong convexity: the smallest curvature (never momentum) |
# | $\kappa = L/\mu$ | condition number | $\lambda_i$, $\lambda_{\max}$ | eigenvalues; $\lambda_{\max}$ of a network's $H$ is its *sharpness* |
# | $\beta$ | SGD momentum coefficient (torch's `momentum`) | $\beta_1, \beta_2$ | Adam's decay rates; $m_t$, $v_t$ its moments |
# | $\varepsilon$ | the small constant in a denominator | $\lambda_{\mathrm{wd}}$ | weight decay (torch's `weight_decay`) |
# | $D$ | depth (number of layers), layers $l = 1..D$ | $n_{\mathrm{in}}, n_{\mathrm{out}}$ | fan-in, fan-out (written `fan_in` only in code) |
# | $W^{(l)}, b^{(l)}$ | layer $l$'s weights and bias | $z^{(l)} = W^{(l)}h^{(l-1)} + b^{(l)}$, $h^{(l)} = \phi(z^{(l)})$ | pre-activation, activation |
# | $\phi$ | an activation function; $\sigma$ the sigmoid | $B$, $N$ | batch size, number of training examples |
# | $\sigma_g^2$ | variance of a mini-batch gradient's noise | $c$ | clipping threshold (torch's `max_norm`) |
# | $\rho(A)$ | spectral radius | $\gamma$ | a schedule's decay factor |

# %% [markdown]
# ## The map
#
# The course follows the layout of the five articles — background, concepts, algorithms with their mathematics,
# code, trends, and frequently asked questions.
#
# | Part | What it answers |
# |---|---|
# | **1 · Background** | Why is depth a problem at all? A 20-layer network that does not learn, and the same network made to learn. |
# | **2 · Concepts** | Backpropagation from scratch; vanishing and exploding gradients as a product of Jacobians; what the learning rate does; how sharp a real network's loss is. |
# | **3 · Algorithms** | GD, SGD and their convergence theory, momentum, Nesterov, AdaGrad, RMSprop, Adadelta, Adam, AMSGrad, AdamW, preconditioning; schedules; clipping; initialization; normalization and residuals — each with its formula, its code and an experiment. |
# | **4 · Code** | The source articles' own code, run as printed, what goes wrong with it, and the repaired version; a case study on real data; diagnosing a sick network. |
# | **5 · Trends** | Large-batch training, data-parallel training, low precision, transformers, newer optimizers. |
# | **6 · FAQ** | Every question the articles ask, answered with a cell; every claim they make, checked; the references. |

# %% [markdown]
# ## A first experiment: the one inequality behind "too large a learning rate"
#
# Take the simplest loss there is, a one-dimensional quadratic $\ell(\theta) = \tfrac{1}{2} L\,\theta^2$ whose
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
from gradcourse.claims import claim
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
worst = max(np.max(np.abs(distance[label] / (np.abs(1 - eta * curvature) ** steps * distance[label][0]) - 1))
            for label, eta in etas.items())
claim(worst < 1e-9, f"all three runs follow |1 − ηL|^t exactly (largest relative deviation {worst:.1e})")
claim(distance["η = 0.25·(2/L)"][-1] < 1e-11 and distance["η = 0.95·(2/L)"][-1] < distance["η = 0.95·(2/L)"][0],
      f"below 2/L the distance shrinks: after 40 steps {distance['η = 0.25·(2/L)'][-1]:.1e} at a quarter of the "
      f"bound, {distance['η = 0.95·(2/L)'][-1]:.2f} at 0.95 of it")
claim(distance["η = 1.05·(2/L)"][-1] > 5 * distance["η = 1.05·(2/L)"][0],
      f"above 2/L it grows geometrically: {distance['η = 1.05·(2/L)'][-1]:.1f} after 40 steps at 1.05·(2/L)")

# %% [markdown]
# ## What we learned
#
# - Gradient descent on a quadratic multiplies the error by $(1-\eta L)$ each step: it converges if and only if
#   $\eta < 2/L$. At $\eta = 1/L$ the factor is $0$: one step lands exactly on the minimum of a
#   one-curvature quadratic (with several curvatures no single $\eta$ can do that — part 2).
# - "Too large a learning rate" means divergence, not slow or noisy progress — and not overfitting, as one of
#   the articles says ([2.3](../02_concepts/03_learning_rate.ipynb) shows why).
# - Every page of this course works like this one: a question, a formula, the code that runs it, an experiment
#   with a figure, and a checked claim (✓) for every statement about what the experiment does.
