# %% [markdown]
# # 4.3 Case study: a deep network on handwritten digits
#
# Part 3 took the remedies for vanishing and exploding gradients one at a time: the activation function,
# the initialization, the optimizer, normalization, residual connections. In practice they act together, and
# a choice that rescues one setting can break another ([4.2](02_training_recipe.ipynb) gives the routine that
# finds such failures). This case study puts them in one experiment on real
# data and asks: **which combinations let a 12-layer network learn, and which leave it at chance?**
#
# The data are scikit-learn's handwritten digits (1,797 images of 8×8 pixels, ten classes), shipped with
# scikit-learn and loaded by `gradcourse.data.digits()`: 1,347 images to train on, 450 to validate on. A
# shallow network reaches over 90 % here in a second (the first cell below checks it), so whatever fails below
# fails because of **depth**, not because the task is hard.

# %% tags=["hide-input"]
import itertools

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from gradcourse import data, diagnostics, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest
threadpool_limits(1)

# %%
split = data.digits(as_tensors=True)  # standardized with the training set's mean and std; float32
print(f"training set {tuple(split.X_train.shape)}, validation set {tuple(split.X_val.shape)}, "
      f"classes {sorted(set(split.y_train.tolist()))}")

shallow = nets.mlp(64, 10, depth=1, width=32, activation="relu", seed=0)  # one hidden layer
shallow_history = train.train(shallow, split, optim.Adam(shallow.parameters(), lr=0.003), epochs=4,
                              batch_size=50, progress=False, seed=0)
claim(shallow_history.val_acc[-1] > 0.9,
      f"the task is easy: one hidden layer reaches {shallow_history.val_acc[-1]:.3f} validation accuracy in 4 epochs")

# %% [markdown]
# ## The design
#
# Every cell of the grid trains the same architecture from `gradcourse.nets.mlp`: **12 hidden blocks of
# width 32**, each block Linear → (normalization) → activation, then a linear head to the ten classes, trained
# with the cross-entropy loss by `gradcourse.train.train`. Four factors vary:
#
# | factor | levels |
# |---|---|
# | activation | sigmoid, tanh, ReLU |
# | initialization | PyTorch's default ($W \sim U(\pm 1/\sqrt{n_{\text{in}}})$), Xavier/Glorot uniform, Kaiming/He uniform (both with the activation's gain) |
# | optimizer | SGD with momentum 0.9 (η = 0.05), Adam (η = 0.003) |
# | architecture | plain; batch normalization in every block; residual blocks $h \mapsto h + f(h)$ |
#
# That is $3 \times 3 \times 2 \times 3 = 54$ runs. A fractional design (running, say, half of the cells) would
# save time but confound factors: we could no longer read, for each activation and initialization, what batch
# normalization or a residual connection does to it. So we keep the **full factorial** and spend less on each
# cell instead:
#
# - a modest network (depth 12, width 32: deep enough for plain sigmoid layers to fail completely, cheap
#   enough to train 54 times);
# - **4 epochs** of mini-batches of 50 (108 optimizer steps per run). That is short, so the accuracies below
#   compare how fast each setting *starts* to learn, not where it would end after long training;
# - one seed per cell and one learning rate per optimizer (chosen once on a middle-of-the-road cell, not
#   tuned per cell). So small differences between cells are noise; the conclusions we claim below are the
#   ones with wide margins.
#
# Why 50 and not the usual 64? $1347 = 21 \cdot 64 + 3$: with batches of 64 the last batch of every epoch
# holds **3** images, and a batch-normalization layer would fold statistics of 3 examples into its running
# averages just before each evaluation. With 50, $1347 = 26 \cdot 50 + 47$.

# %%
ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = {"default": "default", "xavier": "xavier_uniform", "kaiming": "kaiming_uniform"}
OPTIMIZERS = {
    "SGD+m": lambda params: optim.SGD(params, lr=0.05, momentum=0.9),
    "Adam": lambda params: optim.Adam(params, lr=0.003),
}
ARCHITECTURES = {"plain": {}, "batch norm": {"norm": "batch"}, "residual": {"residual": True}}
DEPTH, WIDTH, EPOCHS, BATCH = 12, 32, 4, 50
n_train = len(split.X_train)
claim(n_train % 64 == 3 and n_train % BATCH > 40,
      f"the last batch holds {n_train % 64} images with batches of 64, {n_train % BATCH} with batches of {BATCH}")


def build(activation, init, architecture):
    """The network of one grid cell (the same seed, hence the same random draws, in every cell)."""
    return nets.mlp(64, 10, depth=DEPTH, width=WIDTH, activation=activation, init=INITS[init], seed=0,
                    **ARCHITECTURES[architecture])


# %% [markdown]
# ## Running the grid
#
# A run that blows up raises `gradcourse.train.TrainingDiverged`; we record it as "diverged" (NaN in the
# table) and move on.

# %%
cells = list(itertools.product(ACTIVATIONS, INITS, OPTIMIZERS, ARCHITECTURES))
results, models = {}, {}
for cell in tqdm(cells, desc="grid", mininterval=2.0):
    activation, init, optimizer, architecture = cell
    model = build(activation, init, architecture)
    try:
        history = train.train(model, split, OPTIMIZERS[optimizer](model.parameters()), epochs=EPOCHS,
                              batch_size=BATCH, progress=False, record_grad_norms=False, seed=0)
        results[cell] = history.val_acc[-1]
        models[cell] = model
    except train.TrainingDiverged:
        results[cell] = float("nan")
print(f"{len(cells)} runs, {sum(np.isnan(v) for v in results.values())} of them diverged")

# %% [markdown]
# ## Results
#
# Validation accuracy after 4 epochs, one row per activation and initialization, one column per architecture
# and optimizer. Chance is 10 %.

# %%
rows = [(a, i) for a in ACTIVATIONS for i in INITS]
columns = [(arch, opt) for arch in ARCHITECTURES for opt in OPTIMIZERS]
table = np.array([[results[(a, i, opt, arch)] for arch, opt in columns] for a, i in rows])

header = "activation / init  " + "".join(f"{arch[:10]:>11s}" for arch, _ in columns)
print(header)
print(" " * 19 + "".join(f"{opt:>11s}" for _, opt in columns))
for (a, i), line in zip(rows, table, strict=True):
    print(f"{a + ' / ' + i:19s}" + "".join("   diverged" if np.isnan(v) else f"{v:11.3f}" for v in line))

fig, ax = plt.subplots(figsize=(9, 5.5))
plots.heatmap(table, [f"{a} / {i}" for a, i in rows], [f"{arch}\n{opt}" for arch, opt in columns], ax=ax,
              fmt="{:.2f}", title="Validation accuracy after 4 epochs (12 blocks of width 32; nan = diverged)",
              xlabel="architecture and optimizer", ylabel="activation / initialization")
plt.show()

# %% [markdown]
# ## What the grid says
#
# **1. Plain sigmoid networks do not learn at all** — not with any initialization, not with either
# optimizer. Every layer multiplies the back-propagated gradient by $\sigma'(z) \le 1/4$ (times the weights),
# so after 12 layers almost nothing reaches the first layers ([2.2](../02_concepts/02_vanishing_exploding.ipynb)).
# Xavier or He scaling makes the *weights* right for the forward pass but cannot lift σ′ above 1/4.
#
# **2. For plain tanh and ReLU networks the initialization decides.** PyTorch's default init draws
# $W \sim U(\pm 1/\sqrt{n_{\text{in}}})$, whose variance $1/(3 n_{\text{in}})$ is a third of what preserves the
# signal through a linear layer; with tanh every layer shrinks the signal by about $1/\sqrt3$, with ReLU (which
# also halves the variance) by about $1/\sqrt6$, in both directions. Xavier and He initialization choose the
# variance so that the signal keeps its size {cite:p}`glorot2010understanding,he2015delving`: with them SGD trains the tanh network, and
# Adam trains the ReLU network. (The ReLU network with SGD at η = 0.05 is on a knife's edge here: the table's two
# cells differ widely, and small changes such as the order of the mini-batches move them, so we claim nothing
# about those two cells.)
#
# **3. Adam partly rescues a badly initialized network.** It divides each parameter's step by the running
# root-mean-square of its own gradient, so a layer whose gradient is 1000 times too small still takes steps of
# size about η. It does not make the gradient *informative* again, which is why it recovers only part of the
# way.
#
# **4. Batch normalization and residual connections rescue even the sigmoid network.** Batch normalization
# re-centres and re-scales every pre-activation, so the sigmoid works near its steep middle and the scale of
# the weights stops mattering {cite:p}`ioffe2015batch`;
# a residual block's Jacobian is $I + \partial f/\partial h$, so the gradient always has a path that no layer
# shrinks {cite:p}`he2016deep`.
#
# **5. A fix can break another setting.** Residual ReLU networks with Xavier or He initialization *diverge*
# under SGD. Each residual block adds to $h$ a branch whose output is about as large as $h$ itself, so the
# residual stream grows geometrically with the blocks (measured below), and the first steps are enormous.
# Residual networks need their branches scaled down (the default init's smaller weights happen to do it here;
# in practice the last layer of each branch is initialized at or near zero, or a normalization layer sits in
# the branch).
#
# Not every difference in the table is explained here. ReLU networks with Xavier or He init and Adam do worse
# with batch norm or residual blocks (0.6–0.7) than with the default init; with one seed and 4 epochs we do
# not claim anything about differences we have not tested further. The cell below checks points 1–5, each
# with a wide margin.

# %%
def acc(activation, init, optimizer, architecture):
    return results[(activation, init, optimizer, architecture)]


plain_sigmoid = [acc("sigmoid", i, o, "plain") for i in INITS for o in OPTIMIZERS]
best_cell = max((c for c in cells if not np.isnan(results[c])), key=results.get)
print(f"plain sigmoid cells: {np.round(plain_sigmoid, 3)}")
print(f"best cell: {best_cell} with {results[best_cell]:.3f}")

# the worst activation/initialization pair: the lowest plain accuracy with the better of the two optimizers
pair_score = {(a, i): max(acc(a, i, o, "plain") for o in OPTIMIZERS) for a in ACTIVATIONS for i in INITS}
worst_pair = min(pair_score, key=pair_score.get)
rescued = {arch: round(max(acc(*worst_pair, o, arch) for o in OPTIMIZERS), 3) for arch in ("batch norm", "residual")}
print(f"worst activation/init pair: {worst_pair}, plain {pair_score[worst_pair]:.3f} → {rescued}")

claim(max(plain_sigmoid) < 0.15, f"1. every plain sigmoid cell stays at chance: at most {max(plain_sigmoid):.3f}")
claim(results[best_cell] > 0.9, f"the best cell, {' / '.join(best_cell)}, reaches {results[best_cell]:.3f}")
default_sgd = {a: acc(a, "default", "SGD+m", "plain") for a in ("tanh", "relu")}
default_adam = {a: acc(a, "default", "Adam", "plain") for a in ("tanh", "relu")}
claim(max(default_sgd.values()) < 0.15, f"2. default init + SGD stays at chance: tanh {default_sgd['tanh']:.3f}, "
      f"ReLU {default_sgd['relu']:.3f}")
tanh_sgd = min(acc("tanh", i, "SGD+m", "plain") for i in ("xavier", "kaiming"))
relu_adam = min(acc("relu", i, "Adam", "plain") for i in ("xavier", "kaiming"))
claim(tanh_sgd > 0.7 and relu_adam > 0.8, f"2. with Xavier/He init tanh trains under SGD (≥ {tanh_sgd:.3f}) and ReLU "
      f"under Adam (≥ {relu_adam:.3f})")
claim(all(default_adam[a] > default_sgd[a] + 0.15 for a in default_adam),
      f"3. Adam recovers part of the badly initialized networks: tanh {default_adam['tanh']:.3f}, "
      f"ReLU {default_adam['relu']:.3f}")
normalized_sigmoid = min(acc("sigmoid", i, o, arch) for i in INITS for o in OPTIMIZERS for arch in ("batch norm", "residual"))
claim(pair_score[worst_pair] < 0.15 and max(rescued.values()) > 0.8 and normalized_sigmoid > 0.7,
      f"4. batch norm or residual blocks lift the worst pair ({pair_score[worst_pair]:.3f} → {rescued}); every sigmoid "
      f"cell with them learns (≥ {normalized_sigmoid:.3f})")
claim(np.isnan(acc("relu", "kaiming", "SGD+m", "residual")) and np.isnan(acc("relu", "xavier", "SGD+m", "residual")),
      "5. residual ReLU networks with He or Xavier init diverge under SGD")

# %% [markdown]
# ### Point 5, measured
#
# Why does the He-initialized residual stream blow up? Block $l$ computes $h^{(l)} = h^{(l-1)} + f(h^{(l-1)})$
# with the branch $f(h) = \mathrm{ReLU}(Wh + b)$, so
#
# $$\mathbb{E}\big[(h^{(l)})^2\big] = \mathbb{E}\big[h^2\big] + \mathbb{E}\big[f(h)^2\big] + 2\,\mathbb{E}\big[h\,f(h)\big].$$
#
# He initialization makes the branch about as large as its input, $\mathbb{E}[f^2] \approx \mathbb{E}[h^2]$. If $h$
# and $f(h)$ were uncorrelated, the last term would vanish and $\mathbb{E}[h^2]$ would double per block. But both
# are outputs of ReLUs — **non-negative** — so $h\,f(h) \ge 0$ and the cross term adds almost another
# $\mathbb{E}[h^2]$. The cell measures the three terms on the training set, for blocks 2–12 (block 1 changes the
# width from 64 to 32 and has no skip connection), for He and for PyTorch's default initialization.

# %%
with torch.no_grad():
    terms = {}
    for init in ("kaiming", "default"):
        model = build("relu", init, "residual")
        h, per_block = model.blocks[0](split.X_train), []
        for block in model.blocks[1:]:
            f = block(h) - h  # the branch's output
            second = (h**2).mean()
            per_block.append([(((h + f) ** 2).mean() / second).item(), ((f**2).mean() / second).item(),
                              (2 * (h * f).mean() / second).item()])
            h = h + f
        terms[init] = np.array(per_block)  # per block: growth of E[h²], E[f²]/E[h²], 2E[hf]/E[h²]
for init, t in terms.items():
    growth = np.exp(np.log(t[:, 0]).mean())
    print(f"{init:8s} E[h²] grows ×{growth:.2f} per block (geometric mean; ×{growth**11:.0f} over 11 blocks) "
          f"= 1 + E[f²]/E[h²] ({t[:, 1].mean():.2f}) + 2E[hf]/E[h²] ({t[:, 2].mean():.2f})")

# %%
he = terms["kaiming"]
he_growth = np.exp(np.log(he[:, 0]).mean())
claim(np.allclose(he[:, 0], 1 + he[:, 1] + he[:, 2], rtol=1e-4),
      "the decomposition E[(h + f)²] = E[h²] + E[f²] + 2E[hf] holds block by block")
claim(0.8 < he[:, 1].mean() < 1.3 and he[:, 2].mean() > 0.6 and 2.5 < he_growth < 3.3,
      f"He init: the branch is as large as its input (E[f²]/E[h²] = {he[:, 1].mean():.2f}), the non-negative h and "
      f"f(h) add {he[:, 2].mean():.2f} more, and E[h²] grows ×{he_growth:.2f} per block — more than doubling")
claim(np.exp(np.log(terms["default"][:, 0]).mean()) < 2,
      f"the default init's smaller branches grow E[h²] only ×{np.exp(np.log(terms['default'][:, 0]).mean()):.2f} per block")

# %% [markdown]
# ## Gradient flow in the best and the worst cell
#
# Accuracy says *whether* a network learned; the gradient norms say *why*. For the best and the worst cell of
# the grid we measure, with `gradcourse.diagnostics.grad_norms`, the norm of the gradient of every block's
# weight matrix on the whole training set — at initialization (the same seeded weights) and after the 4
# epochs of training.

# %%
def block_gradient_norms(model):
    """‖∂ℓ/∂W⁽ˡ⁾‖ for the weight of every hidden block, input side first (on the whole training set)."""
    model.train()
    model.zero_grad()
    F.cross_entropy(model(split.X_train), split.y_train).backward()
    norms = diagnostics.grad_norms(model, by="parameter")
    return np.array([norms[f"blocks.{k}.linear.weight"] for k in range(DEPTH)])


worst_cell = min((c for c in cells if not np.isnan(results[c])), key=results.get)
flows = {}
for name, cell in (("best", best_cell), ("worst", worst_cell)):
    activation, init, optimizer, architecture = cell
    flows[name] = {"at initialization": block_gradient_norms(build(activation, init, architecture)),
                   "after 4 epochs": block_gradient_norms(models[cell])}

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, name, cell in zip(axes, ("best", "worst"), (best_cell, worst_cell), strict=True):
    label = " / ".join(cell)
    plots.grad_norms_by_layer(flows[name], ax=ax, title=f"{name}: {label} ({results[cell]:.0%})")
plt.show()

for name in flows:
    for when, norms in flows[name].items():
        print(f"{name:5s} {when:17s} ‖g(block 1)‖ / ‖g(block 12)‖ = {norms[0] / norms[-1]:.1e}")

# %%
worst_init = flows["worst"]["at initialization"]
best_init = flows["best"]["at initialization"]
worst_after = flows["worst"]["after 4 epochs"]
claim(worst_init[0] / worst_init[-1] < 1e-3 and worst_after[0] / worst_after[-1] < 1e-3,
      f"worst cell: block 1 gets {worst_init[0] / worst_init[-1]:.1e} of block 12's gradient at initialization and "
      f"{worst_after[0] / worst_after[-1]:.1e} after training — training does not repair it")
claim(best_init[0] / best_init[-1] > 0.1, f"best cell: block 1's gradient is {best_init[0] / best_init[-1]:.2f} of block 12's")

# %% [markdown]
# In the worst cell the gradient falls by orders of magnitude from the last block to the first, and four
# epochs of training do not change that: the first blocks never learn, so the network cannot either. In the
# best cell every block gets a gradient of comparable size, from the first step on.
#
# ## What we learned
#
# - Depth alone makes a plain sigmoid network untrainable: at 12 layers it stays at chance whatever the
#   initialization or optimizer.
# - For tanh and ReLU the **initialization** decides: PyTorch's default $U(\pm1/\sqrt{n_{\text{in}}})$ shrinks
#   the signal at every layer and SGD stays at chance; Xavier/He scaling keeps it, and the network trains.
# - **Adam** compensates for small gradients by normalizing each parameter's step, which recovers part of a
#   badly initialized network, but not a vanished gradient's information.
# - **Batch normalization** and **residual connections** rescue even the sigmoid network — and residual
#   connections bring their own hazard: with He-scaled ReLU branches the residual stream's mean square grows by
#   *more* than a factor 2 per block (the branch and the stream are both non-negative, so they add coherently),
#   and SGD diverges.
# - The grid is a small, honest experiment: full factorial, one seed, short training; only conclusions with
#   wide margins are claimed. The next chapter, [diagnosing a network](04_diagnosing_a_network.ipynb), shows
#   how to find out *which* of these problems a given network has, from its activations and gradients.
