# %% [markdown]
# # 5.5 Newer optimizers
#
# Adam {cite:p}`kingma2015adam` and its decoupled-weight-decay variant AdamW {cite:p}`loshchilov2019decoupled` have
# been the default for a decade. What has come since, and does any of it change the picture of this course? This
# last section of the trends part does three things:
#
# 1. runs one newer optimizer, **Lion** {cite:p}`chen2023symbolic`,
#    against Adam, on a 2-D problem and on the digits, and explains its two unusual hyperparameter rules;
# 2. surveys, briefly and with sources, the other directions people are working on: matrix-aware optimizers
#    (Shampoo, SOAP, Muon), learned optimizers, and hardware;
# 3. checks the "future trends" sections of the source documents A1 and A4 against all of this.

# %% tags=["hide-input"]
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from gradcourse import data, nets, optim, plots, problems, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # a tiny model: one thread is fastest

# %% [markdown]
# ## Lion: only the sign of the update
#
# Chen et al. did not derive Lion; they found it by a program search over update rules, and then simplified what
# the search returned. The rule as the library implements it:

# %%
print(inspect.getdoc(optim.functional.lion_step))

# %% [markdown]
# Compare Adam, whose step is $\eta\,\hat m/(\sqrt{\hat v}+\varepsilon)$: a ratio that is close to $\pm1$ where the
# gradient is consistent and much smaller where it is mostly noise. Lion keeps only the **sign** of an
# interpolated momentum $c$. Two consequences follow directly from the formula:
#
# - every coordinate moves by exactly $\eta$ (or 0 where $c = 0$), whatever the size of its gradient; the update
#   has norm $\eta\sqrt{d}$ for $d$ parameters, never less — so Lion wants a **smaller $\eta$** than Adam, whose
#   per-coordinate step is usually well below $\eta$;
# - the decoupled weight decay shrinks $\theta$ by the factor $(1-\eta\lambda)$ per step, as in AdamW: with an
#   $\eta$ 3–10× smaller, $\lambda$ must be 3–10× **larger** to keep the same decay. That is Chen et al.'s advice
#   (their Section 3 on hyperparameters).
#
# First the exact claim. We take one Lion step and one Adam step from random states, on parameters placed on a
# grid of multiples of $2^{-8}$ and with $\eta = 2^{-10}$, so that the subtraction is exact in floating point.

# %%
d = 1000
theta0 = rng.integers(-512, 512, size=d) / 256.0
grad = rng.standard_normal(d)
lr = 2.0**-10
lion_state = {"exp_avg": rng.standard_normal(d)}
adam_state = {"step": 10, "exp_avg": 0.1 * rng.standard_normal(d), "exp_avg_sq": 0.01 * rng.random(d)}
theta_lion = optim.functional.step("lion", theta0.copy(), grad, lion_state, lr=lr)
theta_adam = optim.functional.step("adam", theta0.copy(), grad, adam_state, lr=lr)
step_lion = np.abs(theta_lion - theta0) / lr
step_adam = np.abs(theta_adam - theta0) / lr
print(f"Lion: |Δθ|/η  min {step_lion.min():.6f}, max {step_lion.max():.6f}")
print(f"Adam: |Δθ|/η  min {step_adam.min():.2e}, median {np.median(step_adam):.3f}, max {step_adam.max():.3f}")
claim(np.all(step_lion == 1.0), "Lion moves every coordinate by exactly η (the momentum is nonzero everywhere)")
claim(step_adam.min() < 0.1 and step_adam.max() > 1.0, "Adam's per-coordinate step varies by orders of magnitude")

w = np.ones(3)
for name, hyper in (("adamw", dict(lr=1e-3, weight_decay=0.1)), ("lion", dict(lr=1e-4, weight_decay=1.0))):
    shrunk = optim.functional.step(name, w.copy(), np.zeros(3), {}, **hyper)
    claim(np.allclose(shrunk, 1 - hyper["lr"] * hyper["weight_decay"]),
          f"{name}, η = {hyper['lr']:g}, λ = {hyper['weight_decay']:g}: a zero gradient shrinks θ by "
          f"{1 - shrunk[0]:.1e} = ηλ (decoupled decay θ ← (1 − ηλ)θ)")

# %% [markdown]
# With a zero gradient both rules only decay the weights, by $\eta\lambda = 10^{-4}$ per step here: Lion with a ten
# times smaller $\eta$ needs a ten times larger $\lambda$ to match AdamW.
#
# ### On a 2-D problem
#
# The ill-conditioned quadratic `ELLIPSE` ($\kappa = 20$) from $(-4, 2)$, 200 steps, both with $\eta = 0.1$.

# %%
x0 = np.array([-4.0, 2.0])
paths = {"adam": problems.run(problems.ELLIPSE, "adam", x0, 200, lr=0.1),
         "lion": problems.run(problems.ELLIPSE, "lion", x0, 200, lr=0.1)}
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plots.contour_with_trajectories(problems.ELLIPSE, paths, ax=axes[0], title="ELLIPSE (κ = 20): Adam and Lion, η = 0.1")
for name, path in paths.items():
    axes[1].semilogy(np.maximum(np.linalg.norm(path, axis=1), 1e-6), label=name, **plots.style_for(name))
axes[1].set(title="Distance to the minimum (values below 1e-6 drawn at 1e-6)", xlabel="step t",
            ylabel="‖θ_t − θ*‖ (log scale)")
axes[1].legend()
plt.show()

moves = np.abs(np.diff(paths["lion"], axis=0))
print(f"Lion: every coordinate of every step moved by {np.unique(np.round(moves, 12))}")
print(f"final distance: Adam {np.linalg.norm(paths['adam'][-1]):.1e}, Lion {np.linalg.norm(paths['lion'][-1]):.2f}; "
      f"Lion over its last 50 steps: up to {np.linalg.norm(paths['lion'][-50:], axis=1).max():.2f}")
claim(np.allclose(moves, 0.1, rtol=0, atol=1e-12), "on the 2-D problem too, each Lion step is ±η per coordinate")
claim(np.linalg.norm(paths["adam"][-1]) < 1e-3, "Adam's steps shrink and it converges")
claim(np.linalg.norm(paths["lion"][-50:], axis=1).max() > 0.1, "Lion keeps stepping ±η around the minimum")

# %% [markdown]
# Lion ignores the shape of the valley: every step is a diagonal move of ±η in each coordinate. Its momentum
# ($\beta_2 = 0.99$) remembers old gradients, so it overshoots along the flat direction before turning back, and
# once near the minimum it keeps jumping around it at a distance of about $\eta\sqrt2$, because a sign never
# becomes small. With a fixed $\eta$ a sign method can
# only get within about $\eta$ of the minimum; in practice its rate is decayed to zero by a schedule
# ([3.7](../03_algorithms/07_schedules.ipynb)). Adam's steps shrink by themselves as $\hat m$ does.
#
# ### On the digits
#
# The 2-hidden-layer ReLU MLP (64 units), batch 64, 10 epochs, no weight decay; four rates for each optimizer.
# We also measure how long an Adam step is per coordinate, compared with Lion's $\eta$, during the first epoch.

# %%
split = data.digits(seed=0)
rates = [3e-4, 1e-3, 3e-3, 1e-2]


def fit(opt_name: str, lr: float, seed: int = 0) -> dict:
    model = nets.mlp(64, 10, depth=2, width=64, seed=seed)
    opt = getattr(optim, opt_name)(model.parameters(), lr=lr)
    h = train.train(model, split, opt, epochs=10, batch_size=64, progress=False, record_grad_norms=False,
                    eval_every=10, seed=seed)
    return {"acc": h.val_acc[-1], "loss": h.train_loss[-1], "losses": h.train_loss}


sweep = {name: {lr: fit(name, lr) for lr in rates} for name in ("Adam", "Lion")}
print(f"{'':6s}" + "".join(f"{'η = ' + format(lr, 'g'):>22s}" for lr in rates))
for name, runs in sweep.items():
    print(f"{name:6s}" + "".join(f"{r['acc']:>10.3f} (loss {r['loss']:.3f})" for r in runs.values()))
best = {name: min(runs, key=lambda lr: runs[lr]["loss"]) for name, runs in sweep.items()}
print("best rate by final training loss:", best)


def update_rms(opt_name: str, lr: float = 1e-3) -> np.ndarray:
    """RMS of the per-coordinate step |Δθ|/η over the first epoch."""
    model = nets.mlp(64, 10, depth=2, width=64, seed=0)
    opt = getattr(optim, opt_name)(model.parameters(), lr=lr)
    X, y = torch.from_numpy(split.X_train), torch.from_numpy(split.y_train)
    out = []
    for xb, yb in data.batches(X, y, 64, seed=0):
        before = torch.cat([p.detach().flatten() for p in model.parameters()])
        opt.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        opt.step()
        after = torch.cat([p.detach().flatten() for p in model.parameters()])
        out.append(((after - before) / lr).pow(2).mean().sqrt().item())
    return np.array(out)


rms = {"adam": update_rms("Adam"), "lion": update_rms("Lion")}

fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
for name in ("Adam", "Lion"):
    accs = [sweep[name][lr]["acc"] for lr in rates]
    axes[0].semilogx(rates, accs, marker="o", label=name, **plots.style_for(name))
axes[0].set(title="Digits MLP, 10 epochs: validation accuracy against η", xlabel="learning rate η (log scale)",
            ylabel="validation accuracy")
axes[0].legend()
for name, values in rms.items():
    axes[1].plot(values, label=name, **plots.style_for(name))
axes[1].set(title="Step length per coordinate, in units of η (η = 1e-3)", xlabel="step of the first epoch",
            ylabel="RMS of |Δθ| / η", ylim=(0, 1.1))
axes[1].legend()
plt.show()

# %%
adam_best, lion_best = sweep["Adam"][best["Adam"]], sweep["Lion"][best["Lion"]]
print(f"best: Adam η={best['Adam']:g} → {adam_best['acc']:.3f}; Lion η={best['Lion']:g} → {lion_best['acc']:.3f}; "
      f"mean step/η after 10 steps: Adam {np.mean(rms['adam'][10:]):.2f}, Lion {np.mean(rms['lion'][10:]):.2f}")
claim(best["Lion"] <= best["Adam"] / 3, "Lion's best rate is at least 3× smaller than Adam's")
claim(sweep["Lion"][best["Adam"]]["loss"] > 10 * lion_best["loss"], "at Adam's best rate, Lion trains badly")
claim(lion_best["acc"] > 0.92 and adam_best["acc"] > 0.92, "at its own best rate each reaches > 92 %")
claim(abs(lion_best["acc"] - adam_best["acc"]) < 0.05, "... within 5 points of each other")
claim(rms["lion"].min() > 0.95, "Lion's steps are ±η on (almost) every coordinate")
claim(np.mean(rms["adam"][10:]) < 0.8, "Adam's are shorter on average")

# %% [markdown]
# The advice holds here: Lion's best rate is ten times smaller than Adam's, and at Adam's best rate Lion's
# training loss is many times worse. Lion's step is $\eta$ on every coordinate (the few exceptions are weights of
# pixels that are constant in the training set, whose gradient is exactly 0); Adam's averages about two thirds
# of $\eta$ and falls where gradients are noisy. At its own best rate Lion comes close to Adam on this small task
# but does not beat it. Chen et al. report their gains on large models (image classifiers, diffusion and language
# models), and attractive memory use: Lion keeps one moment per weight, Adam two. A small MLP neither confirms nor
# refutes that; what it does show is that Lion is *not* a drop-in replacement with Adam's settings.
#
# ## A short survey: where optimizer research is going
#
# Each claim below is from the cited source; none is tested here beyond the small checks in the cells.
#
# **Matrix-aware preconditioning: Shampoo and SOAP.** Adam scales each coordinate separately (a diagonal
# preconditioner). Shampoo treats a weight matrix $W$ as a matrix: it accumulates $L_t = \sum_s G_sG_s^\top$ and
# $R_t = \sum_s G_s^\top G_s$ and steps along $L_t^{-1/4}\,G_t\,R_t^{-1/4}$, a Kronecker-factored approximation of
# full-matrix AdaGrad {cite:p}`gupta2018shampoo`. A
# distributed implementation of Shampoo won the external-tuning track of the first AlgoPerf training-algorithms
# competition, about 28 % faster than the baseline in wall-clock time
# {cite:p}`kasimbeg2025accelerating`. SOAP runs Adam in the
# eigenbasis of Shampoo's preconditioner, which its authors find faster and more stable than Shampoo, with one
# hyperparameter beyond Adam's (how often the eigenbasis is recomputed)
# {cite:p}`vyas2024soap`.
#
# **Orthogonalized updates: Muon.** Muon takes SGD's momentum $M$ for a hidden weight matrix and replaces it by
# the nearest (semi-)orthogonal matrix $UV^\top$, where $M = U\Sigma V^\top$: every direction of the update gets the
# same size ({cite:p}`jordan2024muon`, a blog post, not a peer-reviewed
# paper). It computes $UV^\top$ approximately, with a few Newton–Schulz matrix iterations instead of an SVD, and is
# used only for hidden matrices (embeddings, output layer and biases stay with AdamW). Liu et al. scaled it to a
# 16B-parameter mixture-of-experts language model and report about twice AdamW's compute efficiency
# {cite:p}`liu2025muon`. Shampoo and Muon are related: *without*
# accumulation ($L = GG^\top$, $R = G^\top G$), Shampoo's direction $(GG^\top)^{-1/4}G(G^\top G)^{-1/4}$ is exactly
# $UV^\top$ {cite:p}`bernstein2024old`. PyTorch ships Muon
# (`torch.optim.Muon`); the cell below checks the identity and looks at one Muon step on the digits MLP.

# %%
G = torch.randn(40, 40, dtype=torch.float64, generator=torch.Generator().manual_seed(0))


def inv_fourth_root(A: torch.Tensor) -> torch.Tensor:
    """A^(-1/4) for a symmetric positive definite matrix, through its eigendecomposition."""
    vals, vecs = torch.linalg.eigh(A)
    return vecs @ torch.diag(vals**-0.25) @ vecs.T


U, _, Vh = torch.linalg.svd(G)
shampoo_one_step = inv_fourth_root(G @ G.T) @ G @ inv_fourth_root(G.T @ G)
print(f"max |Shampoo direction without accumulation − UVᵀ| = {(shampoo_one_step - U @ Vh).abs().max().item():.1e}")
claim(torch.allclose(shampoo_one_step, U @ Vh, atol=1e-8), "(GGᵀ)^(-1/4) G (GᵀG)^(-1/4) = UVᵀ")

mlp = nets.mlp(64, 10, depth=2, width=64, seed=0)
X512, y512 = torch.from_numpy(split.X_train[:512]), torch.from_numpy(split.y_train[:512])
F.cross_entropy(mlp(X512), y512).backward()
W = mlp.blocks[1].linear.weight  # a hidden 64 × 64 matrix
grad_sv = torch.linalg.svdvals(W.grad.double())
before = W.detach().clone()
muon = torch.optim.Muon([W], lr=0.01, weight_decay=0.0)
muon.step()
update_sv = torch.linalg.svdvals((W.detach() - before).double() / 0.01)
in_band = ((update_sv > 0.5) & (update_sv < 1.5)).double().mean().item()
print(f"gradient's singular values: {grad_sv.max().item():.1e} … {grad_sv.min().item():.1e}")
print(f"Muon update's singular values (per unit η): median {update_sv.median().item():.2f}, "
      f"{in_band:.0%} of them between 0.5 and 1.5")
claim(grad_sv.max() / grad_sv.min() > 1e4, "the gradient is dominated by a few directions")
claim(in_band > 0.75, "Muon's update gives most directions about the same size")

fig, ax = plt.subplots(figsize=(7, 3.6))
ax.semilogy(grad_sv.numpy() / grad_sv.max().item(), "o-", markersize=3, label="gradient G (scaled to max 1)")
ax.semilogy(update_sv.numpy(), "s-", markersize=3, label="Muon's update / η")
ax.set(title="Singular values of one hidden layer's step (64 × 64)", xlabel="index (largest first)",
       ylabel="singular value (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# The raw gradient of this hidden layer is nearly rank-deficient: its singular values fall over more than four
# orders of magnitude. Muon's step spreads the same change evenly over most directions (the Newton–Schulz
# iteration, tuned for speed, leaves singular values between roughly 0.5 and 1.5 rather than exactly 1, as its
# authors note; the very weakest directions are not lifted all the way).
#
# **Learned optimizers.** Instead of designing the update rule, learn it: Andrychowicz et al. trained an LSTM to
# output the updates and found it beat hand-designed optimizers on tasks like those it was trained on
# {cite:p}`andrychowicz2016learning`. VeLO scaled the idea to
# about 4,000 TPU-months of meta-training and reports an optimizer that needs no hyperparameter tuning
# {cite:p}`metz2022velo`; an independent evaluation on the MLCommons
# (AlgoPerf) benchmark found instead that it has a critical hyperparameter that needs tuning per problem and is
# not faster than tuned standard optimizers {cite:p}`rezk2023scaling`.
# Lion itself came out of a related idea: a search over update rules written as programs.
#
# **Hardware and number formats.** Accelerators built for neural networks — Google's TPU
# ({cite:p}`jouppi2017datacenter`; the first generation ran
# inference with 8-bit integers) and GPUs with 16-bit matrix units — are fast because they compute in narrow
# formats. Training moved from float32 to mixed float16/float32 with loss scaling
# {cite:p}`micikevicius2018mixed`, then to bfloat16
# {cite:p}`kalamkar2019study`, and 8-bit floating point (FP8:
# E4M3 for weights and activations, E5M2 with its wider range for gradients) matched 16-bit results in the
# experiments of {cite:p}`micikevicius2022fp8`. Every step down
# in precision narrows the range or the precision of the numbers a gradient must fit in;
# [5.3](03_low_precision.ipynb) measured what that does and how loss scaling undoes it.
#
# ## What the documents' "future trends" sections say, checked
#
# Both A1 and A4 end with a section 「未来发展趋势与挑战」 ("future development trends and challenges").
#
# | Claim | Verdict | Evidence |
# |---|---|---|
# | A1 §5.1 「改进优化算法……更有效地解决梯度消失和梯度爆炸问题」 — new optimizers will solve vanishing/exploding gradients | ◐ | New optimizers are an active field (above), but none removes the product of Jacobians that makes gradients vanish; that is the job of initialization, normalization and residual connections ([3.9](../03_algorithms/09_initialization.ipynb), [3.11](../03_algorithms/11_normalization_residuals.ipynb)). Adam and Lion rescale a *small* gradient; nothing rescales a *zero* one ([5.3](03_low_precision.ipynb)). |
# | A1 §5.2 「结构优化……在训练过程中动态地调整网络结构」 — "structure optimization" adjusts the architecture *during* training | ❌ | The architectural fixes that made deep networks trainable are fixed before training: residual connections {cite:p}`he2016deep`, normalization {cite:p}`ioffe2015batch`, gating in LSTMs {cite:p}`hochreiter1997long`. |
# | A1 §5.3 「自适应学习率……根据模型的表现来调整学习率」 — adaptive learning rates adjusted "according to the model's performance" are future work | ❌ | Two different things, both long established: per-parameter adaptive rates (AdaGrad 2011, Adam 2015: [3.4](../03_algorithms/04_adagrad_rmsprop_adadelta.ipynb), [3.5](../03_algorithms/05_adam_family.ipynb)) and performance-driven schedules such as reduce-on-plateau ([3.7](../03_algorithms/07_schedules.ipynb)). |
# | A1 §5.4 hardware will solve vanishing/exploding gradients | ❌ | Hardware speeds training up by lowering precision, which *creates* a vanishing-gradient problem (underflow) — measured in [5.3](03_low_precision.ipynb). |
# | A4 §5.1 adaptive methods like Adam and RMSprop will spread | ✓ (already true) | Adam/AdamW have been the default for years; the newer methods above are compared against them. |
# | A4 §5.2 「非梯度优化方法，如梯度下降的变体（例如Nesterov accelerated gradient）或随机梯度下降（SGD）的变体」 — "non-gradient methods" such as Nesterov and SGD variants, because gradients are becoming too expensive | ❌ | Nesterov's method and SGD *are* gradient methods ([3.1](../03_algorithms/01_gd_sgd_minibatch.ipynb) counts their gradient evaluations). And the premise is false: a gradient costs a small constant times one forward pass, however large the model (measured below). Every method in this section, Lion, Shampoo, SOAP, Muon, learned optimizers, uses gradients. |
# | A4 §5.4 GPUs/TPUs will speed up training | ✓ | True — and the speed comes largely from 16- and 8-bit arithmetic, with the consequences of [5.3](03_low_precision.ipynb). |
#
# <span id="backward-cost"></span>The premise of A4 §5.2 is easy to measure: **what does a gradient cost?** For one
# dense layer $z = Wh$ with $W$ of size $n_{\mathrm{out}}\times n_{\mathrm{in}}$ and a batch of $B$ inputs, the
# forward pass is one matrix product, $2Bn_{\mathrm{in}}n_{\mathrm{out}}$ floating-point operations (FLOPs). The
# backward pass needs **two** products of the same size: $\partial\ell/\partial W = (\partial\ell/\partial z)\,h^\top$
# for the weights and $\partial\ell/\partial h = W^\top(\partial\ell/\partial z)$ to pass the signal down. So backward
# ≈ 2× forward, and one training step (forward + backward) ≈ 3× forward — a small constant, however large the
# model {cite:p}`baydin2018automatic`. PyTorch's `FlopCounterMode` counts the FLOPs of the matrix products, first
# for one layer, then for MLPs of growing width (their first layer skips $\partial\ell/\partial h$: nothing
# below it needs it):

# %%
def flops(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[int, int]:
    """(forward, backward) FLOPs of the matrix products for one batch, counted by torch."""
    with FlopCounterMode(display=False) as counter:
        out = model(x)
        forward = counter.get_total_flops()
        F.cross_entropy(out, y).backward()
    return forward, counter.get_total_flops() - forward


layer = torch.nn.Linear(256, 10, bias=False)
h = torch.randn(512, 256, requires_grad=True)  # the layer's input, itself the output of a layer below
fwd, bwd = flops(layer, h, y512)
claim(bwd == 2 * fwd, f"one dense layer 256 → 10, batch 512: forward {fwd:,} FLOPs, backward {bwd:,} = 2× forward")
ratios = {}
for width in (64, 256, 1024):
    model = nets.mlp(64, 10, depth=3, width=width, seed=0)
    fwd, bwd = flops(model, X512, y512)
    ratios[width] = bwd / fwd
    print(f"MLP width {width:5d}, {sum(p.numel() for p in model.parameters()):9,d} parameters: "
          f"forward {fwd:13,d}  backward {bwd:13,d}  backward / forward {bwd / fwd:.2f}")
claim(all(1.5 < r <= 2.0 for r in ratios.values()),
      "backward / forward stays between 1.5 and 2 at every width: a training step costs ≈ "
      + ", ".join(f"{1 + r:.2f}" for r in ratios.values()) + " forward passes")

# %% [markdown]
# A gradient of all $d$ parameters for the price of about three function evaluations is what makes gradient
# methods win; a method that used only function values would need on the order of $d$ evaluations to learn as
# much.
#
# ## What we learned
#
# - **Lion** moves every coordinate by exactly $\pm\eta$ (checked to the last bit), so its update is never small:
#   it needs a smaller rate than Adam (here its best rate was 10× smaller) and, to keep the same decoupled decay
#   $\eta\lambda$ per step, a proportionally larger weight decay. On a 2-D quadratic it hops around the minimum at
#   distance ~$\eta$; on the digits it came close to Adam without beating it, and
#   [4.5](../04_code/05_optimizer_shootout.ipynb) finds the same with six optimizers, each tuned, on a deeper network.
# - **Shampoo / SOAP** precondition each weight matrix from both sides; **Muon** orthogonalizes the momentum
#   ($UV^\top$, which is Shampoo without memory: verified numerically) so that every direction moves by about the
#   same amount. **Learned optimizers** learn the rule itself. All of them use gradients.
# - **Hardware** progress is mostly narrower number formats (bf16, FP8), which trade range or precision — see
#   [5.3](03_low_precision.ipynb).
# - Of the documents' "future trends", the non-gradient claim (A4) is wrong twice over: SGD and Nesterov are
#   gradient methods, and a training step costs ≈ 3 forward passes (backward ≈ 2× forward); "hardware will solve vanishing
#   gradients" (A1) has it backwards.
