# %% [markdown]
# # 3.8 Normalization and residual connections
#
# Initialization ([3.7](09_initialization.ipynb)) chooses the per-layer factors at step 0, for one activation.
# Two architectural changes act at every step, whatever the weights have become: **normalization** rescales
# each layer's pre-activations to a fixed mean and spread, and a **residual connection** adds an identity path
# around each block, $h_{l+1} = h_l + F(h_l)$.
#
# This section asks: **how much of the gradient flow do batch normalization, layer normalization and residual
# connections restore in a deep network whose gradients vanish — and what do the documents' other remedies
# (wider networks, "batch regularization", Dropout, weight decay) do?** The patient is the network of
# [1.1](../01_background/01_why_depth_is_hard.ipynb): 20 sigmoid layers, where the first layer's gradient is
# about $10^{-12}$ of the last one's even with Xavier initialization.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import gradcourse.optim
from gradcourse import data, diagnostics, nets, plots
from gradcourse import train as T
from gradcourse.seeding import seed_everything

plots.use_book_style()
rng = seed_everything(0)

# %% [markdown]
# ## What the three layers compute
#
# For a batch of pre-activations $z \in \mathbb{R}^{B\times n}$ ($B$ examples, $n$ units):
#
# - **Batch normalization** ([Ioffe & Szegedy, 2015](../06_faq/03_references.ipynb#ioffe2015batch); 批量归一化)
#   standardizes each **unit over the batch**: $\hat z_{bj} = (z_{bj} - \mu_j)/\sqrt{\sigma_j^2 + \varepsilon}$ with
#   $\mu_j, \sigma_j^2$ the mean and (biased) variance of column $j$; then $y = \gamma \hat z + \beta$ with learned
#   $\gamma, \beta$. (At evaluation time it uses running averages of $\mu_j, \sigma_j^2$ instead.)
# - **Layer normalization** ([Ba et al., 2016](../06_faq/03_references.ipynb#ba2016layer)) standardizes each
#   **example over its units**: $\mu_b, \sigma_b^2$ are the mean and variance of row $b$. It does not depend on
#   the other examples in the batch.
# - A **residual block** ([He et al., 2016](../06_faq/03_references.ipynb#he2016deep)) returns $h + F(h)$ instead of
#   $F(h)$. Its Jacobian is $I + \partial F/\partial h$: even when $\partial F/\partial h$ is tiny, the gradient
#   passes through the identity.
#
# Why normalization helps the *backward* pass: standardizing is scale-invariant, $\mathrm{BN}(a z) = \mathrm{BN}(z)$
# for any $a > 0$ (as long as the variance stays well above the small $\varepsilon$). So if the layers below have
# shrunk the signal by a factor $a$, the normalization multiplies it back by $1/a$ — and the chain rule multiplies
# the gradient flowing back through it by the same $1/a$.
#
# `nets.mlp(..., norm="batch" | "layer", residual=True)` builds these blocks on PyTorch's `nn.BatchNorm1d` and
# `nn.LayerNorm`. The cell checks the two formulas above against those modules, and the scale invariance.

# %%
z = torch.from_numpy(rng.standard_normal((128, 64)) * 3 + 1).float().requires_grad_()
eps = 1e-5
bn_formula = (z - z.mean(0)) / torch.sqrt(z.var(0, unbiased=False) + eps)
ln_formula = (z - z.mean(1, keepdim=True)) / torch.sqrt(z.var(1, unbiased=False, keepdim=True) + eps)
bn_torch = nn.BatchNorm1d(64, eps=eps).train()(z)  # γ = 1, β = 0 at initialization
ln_torch = nn.LayerNorm(64, eps=eps)(z)
print(f"max |formula − torch|: BatchNorm1d {(bn_formula - bn_torch).abs().max():.1e}, "
      f"LayerNorm {(ln_formula - ln_torch).abs().max():.1e}")
assert torch.allclose(bn_formula, bn_torch, atol=1e-5) and torch.allclose(ln_formula, ln_torch, atol=1e-5)

bn = nn.BatchNorm1d(64).train()
upstream = torch.from_numpy(rng.standard_normal((128, 64))).float()
grads_at = {}
for a in (1.0, 1e-2):
    za = (a * z.detach()).requires_grad_()
    out = bn(za)
    (out * upstream).sum().backward()
    grads_at[a] = (out.detach(), za.grad)
same_output = (grads_at[1.0][0] - grads_at[1e-2][0]).abs().max().item()
grad_ratio = (grads_at[1e-2][1].norm() / grads_at[1.0][1].norm()).item()
print(f"BN(0.01·z) vs BN(z): max difference {same_output:.1e};  gradient ratio {grad_ratio:.1f}")
assert same_output < 0.05 and abs(grad_ratio - 100) < 3, "shrink the input 100×: same output, 100× the gradient"

# %% [markdown]
# ## Gradient flow in 20 sigmoid layers
#
# Five versions of the same network (64 → 20 sigmoid blocks of 64 units → 10, Xavier initialization, the same
# seed): plain, with batch normalization, with layer normalization, with residual connections, and residual with
# layer normalization. One forward and backward pass on 512 digits; `diagnostics.grad_norms` gives the gradient
# norm of every layer and `plots.grad_norms_by_layer` draws them.

# %%
digits = data.digits(as_tensors=True)
Xb, yb = digits.X_train[:512], digits.y_train[:512]
variants = {
    "plain": {},
    "batch norm": {"norm": "batch"},
    "layer norm": {"norm": "layer"},
    "residual": {"residual": True},
    "residual + layer norm": {"residual": True, "norm": "layer"},
}


def build(seed=0, width=64, **kw):
    return nets.mlp(64, 10, depth=20, width=width, activation="sigmoid", init="xavier_uniform", seed=seed, **kw)


def layer_grad_norms(model):
    """‖∂L/∂θ‖ of each hidden block's Linear layer after one forward/backward pass on (Xb, yb)."""
    model.train()
    model.zero_grad()
    F.cross_entropy(model(Xb), yb).backward()
    norms = diagnostics.grad_norms(model)
    return np.array([norms[f"blocks.{i}.linear"] for i in range(len(model.blocks))])


flow = {name: layer_grad_norms(build(**kw)) for name, kw in variants.items()}
ratios = {name: n[0] / n[-1] for name, n in flow.items()}
plots.grad_norms_by_layer(flow, title="20 sigmoid layers at initialization: gradient norm per layer",
                          ylabel="‖∂L/∂θ_l‖₂ (log scale)")
plt.show()
print(f"{'network':22s} {'first / last layer':>19s} {'improvement':>12s}")
for name, r in ratios.items():
    print(f"{name:22s} {r:19.1e} {r / ratios['plain']:12.0e}")
assert ratios["plain"] < 1e-9, "plain: the first layer gets 10⁻¹² of the last layer's gradient"
assert ratios["batch norm"] > 1e10 * ratios["plain"] and ratios["batch norm"] > 0.1, "BN restores the flow"
assert ratios["residual"] > 1e10 * ratios["plain"] and ratios["residual"] > 0.01, "residual paths restore it"
assert ratios["layer norm"] > 1e3 * ratios["plain"], "layer norm helps by orders of magnitude ..."
assert ratios["layer norm"] < 1e-4, "... but in this sigmoid network far less than batch norm"

# %% [markdown]
# Batch normalization and residual connections lift the first layer's share by eleven to twelve orders of
# magnitude, to order 1. Layer normalization helps by only about four — why?
#
# Sigmoid outputs are not centred: they sit around 0.5. The next layer's pre-activation then contains a part
# $0.5\sum_j W_{ij}$ that is **the same for every example**, and after a few layers it is almost all there is.
# Batch normalization subtracts each unit's mean over the batch, which removes exactly that part. Layer
# normalization subtracts one number per example (its mean over units) and divides by its spread over units —
# and that spread is dominated by the example-independent offsets, which differ from unit to unit. So LayerNorm
# leaves the tiny example-dependent part tiny, and the network's output barely depends on its input. The cell
# splits the variance across units of each example's pre-activation into the two parts.

# %%
def example_dependent_share(model, block):
    """Share of the per-example variance (across units) of block `block`'s pre-activation that differs between
    examples; the rest is an offset common to all examples."""
    captured = []

    def keep(module, inputs, output):
        captured.append(output.detach())

    handle = model.blocks[block].linear.register_forward_hook(keep)
    model(Xb)
    handle.remove()
    z = captured[0]
    return ((z - z.mean(0)).var(1).mean() / z.var(1).mean()).item()


shares = {name: example_dependent_share(build(**variants[name]), 19) for name in ("plain", "batch norm", "layer norm")}
print("example-dependent share of the variance at block 20:", {k: f"{v:.1e}" for k, v in shares.items()})
assert shares["layer norm"] < 1e-6 and shares["plain"] < 1e-6, "without BN the input's influence is washed out"
assert shares["batch norm"] > 0.05, "batch norm keeps the example-dependent part"

# %% [markdown]
# With tanh, whose outputs are centred, there is no common offset, and layer normalization restores the flow as
# well as batch normalization. The cell uses PyTorch's default initialization, under which 20 plain tanh layers
# do vanish (Xavier's tanh gain of 5/3 would keep them healthy without any normalization).

# %%
tanh_ratios = {}
for name in ("plain", "batch norm", "layer norm"):
    n = layer_grad_norms(nets.mlp(64, 10, depth=20, width=64, activation="tanh", init="default", seed=0,
                                  **variants[name]))
    tanh_ratios[name] = n[0] / n[-1]
print("20 tanh layers, torch's default init, first/last:", {k: f"{v:.1e}" for k, v in tanh_ratios.items()})
assert tanh_ratios["plain"] < 1e-2, "plain tanh with the default init: the gradient shrinks towards the input"
assert tanh_ratios["layer norm"] > 0.3 and tanh_ratios["batch norm"] > 0.3, "with centred units, LN works like BN"

# %% [markdown]
# Transformers combine layer normalization with residual connections.
#
# ## Do they train?
#
# Gradient norms at initialization are a diagnosis; training is the test. Each variant trains on the digits for
# 5 epochs with `gradcourse.optim.Adam` ($\eta = 10^{-3}$). Adam rescales every parameter's step by its own
# gradient size ([3.4](05_adam_family.ipynb)), so small gradients alone would not stop it; what it cannot undo is
# the collapse measured above, where the part of the signal that depends on the input is $10^{-14}$ of the rest.

# %%
trained = {}
for name in ("plain", "batch norm", "layer norm", "residual"):
    model = build(**variants[name])
    optimizer = gradcourse.optim.Adam(model.parameters(), lr=1e-3)
    trained[name] = T.train(model, digits, optimizer, epochs=5, progress=False, seed=0)

fig, ax = plt.subplots(figsize=(6.5, 4))
for name, h in trained.items():
    ax.semilogy(np.arange(1, len(h.train_loss) + 1), h.train_loss, marker="o", label=name,
                linestyle="--" if name == "layer norm" else "-")
ax.set(title="20 sigmoid layers on the digits, Adam (plain and layer norm overlap)", xlabel="epoch",
       ylabel="training loss (log scale)")
ax.set_xticks(range(1, 6))
ax.legend()
plt.show()
for name, h in trained.items():
    print(f"{name:12s}: final training loss {h.train_loss[-1]:.3f}, validation accuracy {h.val_acc[-1]:.3f}")
assert trained["plain"].val_acc[-1] < 0.2 and trained["layer norm"].val_acc[-1] < 0.2, "these do not learn"
assert trained["batch norm"].val_acc[-1] > 0.7 and trained["residual"].val_acc[-1] > 0.7, "BN and residual learn"

# %% [markdown]
# Exactly as the gradient norms predicted: the plain and the layer-normalized network stay at chance (10 %), the
# batch-normalized and the residual network reach 83 % and 91 % validation accuracy in 5 epochs. (The residual network starts at a
# high loss because each block *adds* a sigmoid output of about 0.5 per unit, so the signal grows with depth;
# it recovers within an epoch.)
#
# ## Does a wider network help?
#
# > **The documents say** (A5 §1.4.2): 「使用更广的网络是一种更有效的方法，它通过增加网络宽度来增加模型的表达能力。这种方法可以有效地解决梯度消失问题，因为它可以减少参数之间的非线性关系，从而使梯度在传播过程中保持稳定。」
# > — "Using a wider network is a more effective method: it increases the model's expressive power by increasing
# > its width. This method can effectively solve the vanishing-gradient problem, because it reduces the nonlinear
# > relations between parameters, so that the gradient stays stable during propagation."
# >
# > and (A5 §3.3): 「通过增加网络层数和宽度，我们可以减少参数之间的非线性关系，从而使梯度在传播过程中保持稳定。」
# > — "by increasing the number of layers and the width we can reduce the nonlinear relations between
# > parameters, so that the gradient stays stable during propagation."
# >
# > **What is true:** the per-layer factor does not depend on the width. Every standard initialization scales
# > $\mathrm{Var}(W)$ by $1/\text{fan}$, exactly so that $n\,\mathrm{Var}(W)$ — the layer's gain — is the same at
# > every width, and $\sigma'(z) \le 1/4$ at every width. Width makes the per-layer factor *less random*, not
# > larger. (More layers make the product longer: worse.) The cell sweeps the width from 16 to 512 at depth 20,
# > three seeds each.

# %%
widths = [16, 32, 64, 128, 256, 512]
width_ratios = np.array([[(lambda n: n[0] / n[-1])(layer_grad_norms(build(seed=s, width=w))) for s in range(3)]
                         for w in widths])

fig, ax = plt.subplots(figsize=(6.5, 4))
for s in range(3):
    ax.loglog(widths, width_ratios[:, s], "o", color="#0072B2", alpha=0.7, label="plain (3 seeds per width)" if s == 0 else None)
ax.axhline(ratios["batch norm"], color="#D55E00", linestyle="--", label="batch norm, width 64")
ax.set(title="Width does not cure vanishing gradients (20 sigmoid layers)", xlabel="width (units per layer, log)",
       ylabel="‖g(first layer)‖ / ‖g(last layer)‖ (log)", ylim=(1e-14, 10))
ax.set_xticks(widths, [str(w) for w in widths])
ax.xaxis.set_minor_formatter(plt.NullFormatter())
ax.legend()
plt.show()
for w, r in zip(widths, width_ratios, strict=True):
    print(f"width {w:3d}: first/last = " + ", ".join(f"{v:.1e}" for v in r))
assert np.all(width_ratios < 1e-10), "at every width from 16 to 512 the first layer gets < 10⁻¹⁰ of the last one's"
assert width_ratios[-1].mean() < 10 * width_ratios[0].mean(), "going 32× wider does not even gain a factor of 10"

# %% [markdown]
# At every width the ratio is about $10^{-12}$; the wider networks are, if anything, slightly worse. The one thing
# width changes is the spread between seeds, which narrows as the random fluctuations average out.
#
# ## "Batch regularization", Dropout and weight decay
#
# > **The documents say** (A5 §2.3): 「2. 使用批量正则化：通过增加正则化项来减少模型的复杂性，从而减少参数之间的非线性关系，使梯度在传播过程中保持稳定。
# > 3. 使用Dropout：通过随机丢弃一部分神经元来减少模型的复杂性，从而减少参数之间的非线性关系，使梯度在传播过程中保持稳定。」
# > — "2. Use batch regularization: add a regularization term to reduce the model's complexity … so that the
# > gradient stays stable during propagation. 3. Use Dropout: randomly drop some neurons to reduce the model's
# > complexity … so that the gradient stays stable."
# >
# > and (A2 §1): 「正则化：对神经网络模型进行正则化的方法可以一定程度上缓解梯度消失和爆炸问题。如通过控制网络的参数规模或采用Dropout等方式。」
# > — "Regularization can alleviate vanishing and exploding gradients to some degree, e.g. by controlling the
# > size of the parameters or by Dropout."
# >
# > **What is true:** "批量正则化" (batch *regularization*) is not a standard term. **批量归一化** (batch
# > *normalization*) is the layer above, and it restores the gradient flow. But A5 describes a *regularization
# > term* (正则化项) — a penalty such as weight decay, $\tfrac{\lambda}{2}\lVert\theta\rVert^2$ — and regularization
# > (weight decay, Dropout, [Srivastava et al., 2014](../06_faq/03_references.ipynb#srivastava2014dropout)) is a
# > remedy for **overfitting**, not for vanishing gradients. Dropout keeps the expected per-layer factor (its
# > $1/(1-p)$ rescaling is built for that); weight decay pulls the weights towards zero, which *lowers* the
# > per-layer gain. The two cells measure both.

# %%
dropout_ratios = {}
for p in (0.1, 0.3, 0.5):
    model = build()
    for block in model.blocks:  # Dropout after every block's activation (the library's mlp has no dropout option)
        block.act = nn.Sequential(block.act, nn.Dropout(p))
    torch.manual_seed(0)  # the dropout masks
    n = layer_grad_norms(model)
    dropout_ratios[p] = n[0] / n[-1]
print("first/last gradient ratio with Dropout:", {p: f"{r:.1e}" for p, r in dropout_ratios.items()},
      f"(without: {ratios['plain']:.1e}, batch norm: {ratios['batch norm']:.1e})")
assert all(r < 1e-8 for r in dropout_ratios.values()), "Dropout does not stop the vanishing"

# %% [markdown]
# Dropout leaves the ratio below $10^{-9}$ (with $p = 0.5$ it even rises a little: the $1/(1-p)$ rescaling adds
# some variance to every layer's factor, but nothing like the twelve orders of magnitude that are missing).
#
# Weight decay acts on every weight, $\theta \leftarrow \theta - \eta(g + \lambda\theta)$. In a layer whose
# gradient has vanished, $g \approx 0$, so decay is the *only* force on it: its weights shrink by exactly
# $(1-\eta\lambda)$ per step, its gain falls, and the next layers down receive even less. We train the plain
# network with `gradcourse.optim.SGD` ($\eta = 0.1$) for three epochs without and with `weight_decay=0.05`.

# %%
decay_runs = {}
for wd in (0.0, 0.05):
    model = build()
    W1_before = model.blocks[0].linear.weight.detach().clone()
    optimizer = gradcourse.optim.SGD(model.parameters(), lr=0.1, weight_decay=wd)
    history = T.train(model, digits, optimizer, epochs=3, progress=False, seed=0)
    n = layer_grad_norms(model)
    shrink = (model.blocks[0].linear.weight.detach().norm() / W1_before.norm()).item()
    decay_runs[wd] = (n[0] / n[-1], shrink, (1 - 0.1 * wd) ** history.steps)
    print(f"weight_decay = {wd}: after {history.steps} steps first/last = {decay_runs[wd][0]:.1e}; ‖W₁‖ shrank to "
          f"{shrink:.4f} of its start ((1 − ηλ)^steps = {decay_runs[wd][2]:.4f})")
assert abs(decay_runs[0.05][1] - decay_runs[0.05][2]) < 1e-4, "the vanishing layer shrinks exactly by (1 − ηλ)^t"
assert decay_runs[0.05][0] < 0.1 * decay_runs[0.0][0], "weight decay makes the vanishing gradient worse, not better"

# %% [markdown]
# The first layer's weights shrank to 72 % — precisely $(1-\eta\lambda)^{66}$, so its gradient played no part —
# and the first-to-last ratio fell another 300-fold. Weight decay does have a use against
# *exploding* gradients: smaller weights mean smaller per-layer factors, so it can keep a network away from the
# explosive regime. Against vanishing gradients it is the wrong tool.
#
# ## What we learned
#
# - Batch normalization standardizes each unit over the batch, layer normalization each example over its units;
#   both are scale-invariant, so they undo any shrinking of the signal below them — forward and backward. A
#   residual block $h + F(h)$ has the Jacobian $I + \partial F/\partial h$, an identity path for the gradient.
# - In 20 sigmoid layers, batch normalization and residual connections raised the first layer's share of the
#   gradient from $10^{-12}$ to order 1, and those networks trained (83 % and 91 % in 5 epochs); the plain network did
#   not learn at all, even with Adam.
# - Layer normalization helped much less here, because sigmoid outputs are not centred: it cannot remove an
#   offset that is the same for all examples. With centred activations (tanh) it worked as well as BN.
# - Width does not cure vanishing gradients (A5): from 16 to 512 units the ratio stays near $10^{-12}$.
# - "批量正则化" is not batch normalization (批量归一化). Regularization — Dropout, weight decay — targets
#   overfitting: Dropout left the ratio below $10^{-9}$, and weight decay made it 300 times worse.
