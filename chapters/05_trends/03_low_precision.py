# %% [markdown]
# # 5.3 Low precision: a new way for gradients to vanish
#
# Modern accelerators are fastest in 16-bit arithmetic: half the memory traffic of 32-bit floats, and
# matrix units built for it. Training in **mixed precision** — 16-bit for the heavy matrix products, 32-bit
# where it matters — is now the default on GPUs and TPUs
# {cite:p}`micikevicius2018mixed,kalamkar2019study`. But a 16-bit number has a
# narrow range, and this course is about gradients that get small. In float16 a small gradient does not just get
# small: it becomes **exactly zero**. This section measures that on the CPU (everything here works without a
# GPU) and shows the standard cure, **loss scaling**, and the alternative format, **bfloat16**.
#
# ```{admonition} Common misconception
# :class: warning
# 「硬件支持……以便更有效地解决梯度消失和梯度爆炸问题」 (A1 §5.4: "hardware support … to solve the vanishing and
# exploding gradient problems more effectively"). **In fact** hardware does not change the product of layer
# Jacobians ([2.2](../02_concepts/02_vanishing_exploding.ipynb)); its faster 16-bit formats make small gradients
# vanish into exact zeros, as this section measures ([claim 17 in 6.2](../06_faq/02_claims_checked.ipynb#claim-17)).
# ```

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import data, nets, optim, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # a tiny model: one thread is fastest

# %% [markdown]
# ## Three floating-point formats, measured
#
# A binary floating-point number is $\pm(1.f)\cdot 2^{e}$ with a fraction $f$ of $p$ bits and an exponent $e$ in a
# fixed range. The exponent bits set the **range**; the fraction bits set the **precision**, measured by the
# machine epsilon $2^{-p}$, the gap between 1 and the next number. Below the smallest *normal* number
# $2^{e_{\min}}$ come the *subnormal* numbers $0.f\cdot 2^{e_{\min}}$, which trade precision for range down to
# $2^{e_{\min}-p}$; below half of that, a number rounds to 0.
#
# | format | bits: sign / exponent / fraction | used for |
# |---|---|---|
# | float32 | 1 / 8 / 23 | the default; master weights in mixed precision |
# | float16 (IEEE half) | 1 / 5 / 10 | GPU tensor cores since 2017 |
# | bfloat16 ("brain float") | 1 / 8 / 7 | TPUs, recent GPUs and CPUs: float32's range, less precision |
#
# `torch.finfo` reports the constants; we also *measure* them in each format on this CPU: halve 1 until it
# becomes 0, double it until it becomes infinite, and halve a step $\varepsilon$ until $1 + \varepsilon$ rounds to 1.

# %%
DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def measure(dtype: torch.dtype) -> dict[str, float]:
    one = torch.tensor(1.0, dtype=dtype)
    x = one.clone()
    while (x / 2) > 0:  # halve until the next halving underflows to 0
        x = x / 2
    smallest = x.item()
    x = one.clone()
    while torch.isfinite(x * 2):  # double until the next doubling overflows
        x = x * 2
    largest_power = x.item()
    eps = one.clone()
    while (one + eps / 2) != one:  # the gap between 1 and the next representable number
        eps = eps / 2
    return {"smallest subnormal": smallest, "largest power of 2": largest_power, "epsilon": eps.item()}


rows = {}
print(f"{'':9s} {'max':>10s} {'smallest normal':>16s} {'smallest subnormal':>19s} {'epsilon':>10s}")
for name, dt in DTYPES.items():
    fi, m = torch.finfo(dt), measure(dt)
    rows[name] = {"max": fi.max, "normal": fi.smallest_normal, "subnormal": m["smallest subnormal"],
                  "eps": fi.eps, **m}
    print(f"{name:9s} {fi.max:10.3e} {fi.smallest_normal:16.3e} {m['smallest subnormal']:19.3e} {fi.eps:10.3e}")

# %%
for name, dt in DTYPES.items():
    fi, r = torch.finfo(dt), rows[name]
    mantissa_bits = round(-np.log2(fi.eps))
    claim(r["epsilon"] == fi.eps and r["subnormal"] == fi.smallest_normal * fi.eps
          and r["largest power of 2"] <= fi.max < 2 * r["largest power of 2"],
          f"{name}: measured ε, range and smallest subnormal agree with torch.finfo — fraction bits p = "
          f"{mantissa_bits}, smallest subnormal 2^{np.log2(r['subnormal']):.0f}")
claim(rows["float16"]["subnormal"] == 2.0**-24, f"float16's smallest subnormal is 2⁻²⁴ = {rows['float16']['subnormal']:.3g}")
claim(rows["float16"]["max"] == 65504.0, "float16 overflows above 65,504")
claim(rows["bfloat16"]["normal"] == rows["float32"]["normal"], "bfloat16 has float32's range ...")
claim(rows["bfloat16"]["eps"] == 2.0**-7, "... but only 7 fraction bits: ε = 2⁻⁷ ≈ 0.0078")

# %% [markdown]
# float16 cannot hold anything above 65,504 or (as a nonzero number) below $2^{-24} \approx 6\cdot10^{-8}$, and
# between $2^{-24}$ and $2^{-14} \approx 6\cdot10^{-5}$ it keeps only a few significant bits. bfloat16 spans the
# same $10^{-38}\dots10^{38}$ as float32, with a precision of only about 2–3 decimal digits. Where exactly does a
# small number stop surviving the conversion?

# %%
xs = np.logspace(-12, 0, 241)
fig, ax = plt.subplots(figsize=(7, 4))
for name, dt in DTYPES.items():
    stored = torch.tensor(xs, dtype=torch.float64).to(dt).double().numpy()
    rel_err = np.abs(stored - xs) / xs
    ax.loglog(xs, np.maximum(rel_err, 1e-10), label=name)
ax.axvline(2.0**-24, color="gray", ls=":")
ax.text(2.0**-24 * 1.3, 1e-5, "float16's smallest\nsubnormal 2⁻²⁴", fontsize=8)
ax.set(title="How much of a number survives storage in each format", xlabel="value x (log scale)",
       ylabel="relative error |fl(x) − x| / x (log; 1 = lost)", ylim=(5e-11, 3))
ax.legend()
plt.show()

half = lambda v: torch.tensor(v, dtype=torch.float32).to(torch.float16).item()
for v in (1e-8, 2.9e-8, 3.1e-8, 5.9e-8, 1e-7, 1e-5):
    print(f"float16({v:.1e}) = {half(v):.4e}")
claim(half(1e-8) == 0.0 and half(2.9e-8) == 0.0, "below 2⁻²⁵ ≈ 3e-8 a value becomes exactly 0 in float16")
claim(half(3.1e-8) == half(5.9e-8) == 2.0**-24, "between 3e-8 and 6e-8 it rounds to the smallest subnormal")
claim(abs(half(1e-7) - 1e-7) / 1e-7 > 0.15, "a subnormal keeps few digits: 1e-7 is stored 19 % off")

# %% [markdown]
# The plot has the shape of the problem: float32 and bfloat16 store every value in the range with a bounded
# relative error (at most $2^{-24}$ and $2^{-8}$); float16's is bounded too (by $2^{-11}$) down to $6\cdot10^{-5}$, then climbs
# through the subnormals and hits 100 % — the value is gone — below $3\cdot10^{-8}$.
#
# ## Gradients that vanish into zero
#
# A gradient is a sum over a batch of per-example terms, and the loss is a *mean*, so each term carries a factor
# $1/B$. In a deep network the back-propagated signal also shrinks layer by layer
# ([2.2](../02_concepts/02_vanishing_exploding.ipynb)). Both push the numbers that float16 must hold during the
# backward pass towards $10^{-8}$. We take the classic vanishing-gradient network — 8 sigmoid layers of 32 units,
# Xavier initialization — and one batch of 512 digits, and compute the gradient three ways:
#
# 1. in float32 (the reference);
# 2. in float32, then rounded to float16 (what storing the finished gradient would lose);
# 3. with the forward and backward passes in float16, under `torch.autocast("cpu", dtype=torch.float16)`: the
#    matrix products run in float16, so the back-propagated signals are float16 numbers all the way down — this
#    is what mixed-precision training does.
#
# For each layer we count the weight-gradient entries that are nonzero in float32 but exactly zero in float16.

# %%
split = data.digits(seed=0, as_tensors=True)
xb, yb = split.X_train[:512], split.y_train[:512]
deep = nets.mlp(64, 10, depth=8, width=32, activation="sigmoid", init="xavier_uniform", seed=0)
weight_names = [n for n, p in deep.named_parameters() if p.ndim == 2]


def weight_grads(model: torch.nn.Module, *, dtype: torch.dtype | None = None, scale: float = 1.0
                 ) -> list[torch.Tensor]:
    """Weight gradients of the mean cross-entropy, computed in float32 (dtype None) or under autocast(dtype),
    with the loss multiplied by ``scale`` before backward and the gradients divided by it afterwards."""
    model.zero_grad()
    if dtype is None:
        logits = model(xb)
    else:
        with torch.autocast("cpu", dtype=dtype):
            logits = model(xb)
    (F.cross_entropy(logits.float(), yb) * scale).backward()
    return [p.grad.detach().clone() / scale for n, p in model.named_parameters() if n in weight_names]


def zero_fraction(grads: list[torch.Tensor], reference: list[torch.Tensor]) -> np.ndarray:
    """Per layer: the share of entries that are nonzero in the reference but exactly 0 in ``grads``."""
    return np.array([((g == 0) & (r != 0)).sum().item() / (r != 0).sum().item() for g, r in zip(grads, reference,
                                                                                                 strict=True)])


ref = weight_grads(deep)
cast16 = [g.to(torch.float16).float() for g in ref]
amp16 = weight_grads(deep, dtype=torch.float16)
zeros_cast, zeros_amp = zero_fraction(cast16, ref), zero_fraction(amp16, ref)
print(f"{'layer':>5s} {'median |g| (float32)':>21s} {'zero after rounding':>20s} {'zero under autocast':>20s}")
for i, (r, zc, za) in enumerate(zip(ref, zeros_cast, zeros_amp, strict=True)):
    print(f"{i + 1:5d} {r.abs().median().item():21.1e} {zc:20.1%} {za:20.1%}")

# %%
claim(zeros_amp[0] > 0.5, "more than half of the first layer's gradient is exactly 0 under float16 autocast")
claim(zeros_amp[-1] == 0.0, "the last layer, where the gradient is large, loses nothing")
claim(zeros_amp[0] > zeros_cast[0], "computing in float16 loses more than rounding the float32 result")
print(f"first layer: {zeros_amp[0]:.1%} of its gradient entries are 0 in float16 (autocast), "
      f"{zeros_cast[0]:.1%} after rounding the float32 gradient; last layer: {zeros_amp[-1]:.0%}")

# %% [markdown]
# The first layer's gradient, already about $10^5$ times smaller than the last layer's (the ordinary vanishing
# gradient of a deep sigmoid network), is now mostly *zero*: a layer that receives a zero gradient does not
# learn at all, whatever the optimizer — Adam can rescale a small gradient, not a zero one. Computing in float16
# loses far more than rounding the finished float32 gradient, because the per-example contributions, each
# carrying the factor $1/512$, underflow *before* they are summed.
#
# ## Loss scaling
#
# The backward pass is linear in the loss: multiplying the loss by a constant $S$ multiplies every gradient — and
# every intermediate signal — by $S$. So compute the gradient of $S\cdot\ell$ in float16, where the signals are $S$
# times larger and clear the underflow threshold, then divide the (float32) weight gradients by $S$
# {cite:p}`micikevicius2018mixed`:
#
# $$g = \frac{1}{S}\,\nabla_\theta\big(S\cdot\ell(\theta)\big).$$
#
# With a power of two for $S$ the scaling itself is exact. Too small an $S$ leaves the underflow; too large an $S$
# pushes the largest signals past 65,504 and they become `inf`. We try $S = 2^0, 2^2, \dots, 2^{30}$.

# %%
exponents = np.arange(0, 31, 2)
scan = []
for e in exponents:
    g = weight_grads(deep, dtype=torch.float16, scale=2.0**e)
    finite = all(torch.isfinite(x).all().item() for x in g)
    rel_err = max(((a - r).norm() / r.norm()).item() for a, r in zip(g, ref, strict=True)) if finite else np.nan
    scan.append({"e": e, "finite": finite, "zero_first": zero_fraction(g, ref)[0] if finite else np.nan,
                 "rel_err": rel_err})
ok = [s["e"] for s in scan if s["finite"] and s["zero_first"] == 0.0]
overflow = [s["e"] for s in scan if not s["finite"]]
print(f"{'S':>6s} {'finite':>7s} {'zeros, layer 1':>15s} {'worst relative error':>21s}")
for s in scan:
    print(f"  2^{s['e']:<3d} {s['finite']!s:>7s} {s['zero_first']:15.1%} {s['rel_err']:21.2e}")

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogy(exponents, [s["rel_err"] for s in scan], "o-", label="worst layer: ‖g₁₆ − g₃₂‖ / ‖g₃₂‖")
ax.semilogy(exponents, [max(s["zero_first"], 1e-4) for s in scan], "s--", label="share of layer-1 entries = 0 (0 drawn at 10⁻⁴)")
ax.axvspan(min(overflow) - 1, exponents[-1] + 1, color="tab:red", alpha=0.12, label="overflow: some gradient = inf")
ax.set(title="Static loss scaling S on the 8-layer sigmoid network (float16 autocast)",
       xlabel="log₂ S", ylabel="error / share (log scale)")
ax.legend(fontsize="small")
plt.show()

# %%
claim(scan[0]["zero_first"] > 0.5 and scan[0]["rel_err"] > 0.5, "S = 1: the first layer's gradient is lost")
claim(12 in ok, "S = 2¹²: no gradient entry underflows, and nothing overflows")
claim(next(s for s in scan if s["e"] == 12)["rel_err"] < 0.01, "... and the gradient is accurate to < 1 %")
claim(overflow and min(overflow) > max(ok), "too large an S overflows")
print(f"S from 2^{min(ok)} to 2^{max(ok)} removes all underflow; S >= 2^{min(overflow)} overflows to inf")

# %% [markdown]
# There is a window of good scales — here from about $2^{10}$ to $2^{18}$ — inside which the float16 gradient
# matches float32 to about 0.1 %, float16's own precision. Below it, underflow; above it, `inf`. The window moves as
# training changes the gradients, which is why one does not pick $S$ by hand.
#
# ## Dynamic loss scaling
#
# **Dynamic** loss scaling finds the window by itself. Start with a large $S$; at every step compute the scaled
# gradient and check it:
#
# - if any entry is `inf` or `NaN`: **skip the step** (the parameters do not change) and halve $S$;
# - otherwise unscale ($g \leftarrow g/S$), take the optimizer step, and after $N$ such good steps in a row
#   double $S$.
#
# So $S$ settles just below the overflow boundary, probing it every $N$ steps. PyTorch implements exactly this in
# `torch.amp.GradScaler`, which also runs on the CPU (`torch.amp.GradScaler("cpu")`). The cell
# below writes the rule as a small loop *and* runs `GradScaler` on the same model, to check that the two agree
# step for step. Settings: $S_0 = 2^{24}$ (deliberately too large), $N = 10$, Adam with $\eta = 10^{-3}$, 60
# steps on the batch above. We also train without scaling, and in float32 for reference.

# %%
S0, GROWTH_INTERVAL, STEPS = 2.0**24, 10, 60


def fresh_model() -> torch.nn.Module:
    return nets.mlp(64, 10, depth=8, width=32, activation="sigmoid", init="xavier_uniform", seed=0)


def loss_of(model: torch.nn.Module, dtype: torch.dtype | None) -> torch.Tensor:
    if dtype is None:
        return F.cross_entropy(model(xb), yb)
    with torch.autocast("cpu", dtype=dtype):
        logits = model(xb)
    return F.cross_entropy(logits.float(), yb)


def train_plain(dtype: torch.dtype | None) -> torch.nn.Module:
    model = fresh_model()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(STEPS):
        opt.zero_grad()
        loss_of(model, dtype).backward()
        opt.step()
    return model


def train_dynamic_scaling() -> tuple[torch.nn.Module, list[float], list[bool]]:
    """Dynamic loss scaling written out: skip and halve on inf/NaN, double after GROWTH_INTERVAL good steps."""
    model = fresh_model()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    scale, good, scales, skipped = S0, 0, [], []
    for _ in range(STEPS):
        opt.zero_grad()
        (loss_of(model, torch.float16) * scale).backward()
        scales.append(scale)
        grads = [p.grad for p in model.parameters()]
        if not all(torch.isfinite(g).all() for g in grads):
            scale, good = scale / 2, 0
            skipped.append(True)
            continue
        for g in grads:
            g.mul_(1.0 / scale)
        opt.step()
        skipped.append(False)
        good += 1
        if good == GROWTH_INTERVAL:
            scale, good = scale * 2, 0
    return model, scales, skipped


def train_grad_scaler() -> tuple[torch.nn.Module, list[float]]:
    model = fresh_model()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler("cpu", init_scale=S0, growth_factor=2.0, backoff_factor=0.5,
                                  growth_interval=GROWTH_INTERVAL)
    scales = []
    for _ in range(STEPS):
        opt.zero_grad()
        scales.append(scaler.get_scale())
        scaler.scale(loss_of(model, torch.float16)).backward()
        scaler.step(opt)  # unscales; skips the step if it finds inf/NaN
        scaler.update()  # halves or (after GROWTH_INTERVAL good steps) doubles the scale
    return model, scales


ours, our_scales, skipped = train_dynamic_scaling()
torchs, torch_scales = train_grad_scaler()
unscaled16, reference32 = train_plain(torch.float16), train_plain(None)
w0 = fresh_model().blocks[0].linear.weight.detach()
never_moved = {name: (m.blocks[0].linear.weight.detach() == w0).float().mean().item()
               for name, m in (("float32", reference32), ("float16, no scaling", unscaled16),
                               ("float16, dynamic scaling (ours)", ours), ("float16, GradScaler", torchs))}
for name, frac in never_moved.items():
    print(f"{name:32s}: {frac:6.1%} of the first layer's weights never changed in {STEPS} steps")
print(f"skipped steps: {sum(skipped)} (at steps {[i for i, s in enumerate(skipped) if s]}); "
      f"scale went from 2^{np.log2(our_scales[0]):.0f} to 2^{np.log2(our_scales[-1]):.0f}")

fig, ax = plt.subplots(figsize=(7, 3.6))
ax.step(np.arange(STEPS), np.log2(our_scales), where="post", label="our loop")
ax.plot(np.arange(STEPS), np.log2(torch_scales), "k.", markersize=4, label="torch.amp.GradScaler")
bad = [i for i, s in enumerate(skipped) if s]
ax.plot(bad, np.log2(np.array(our_scales)[bad]), "rx", markersize=8, label="inf/NaN found: step skipped, S halved")
ax.set(title="Dynamic loss scaling finds the largest safe S", xlabel="step", ylabel="log₂ S")
ax.legend(fontsize="small")
plt.show()

# %%
claim(our_scales == torch_scales, "our loop and torch.amp.GradScaler choose the same scale at every step")
max_diff = max((a - b).abs().max().item() for a, b in zip(ours.parameters(), torchs.parameters(), strict=True))
claim(max_diff == 0.0, "... and end with identical parameters")
claim(sum(skipped) >= 3 and skipped[0], "it started too high: the first steps overflowed and were skipped")
claim(any(b > a for a, b in zip(our_scales, our_scales[1:], strict=False)), "it also grew S after good steps")
claim(never_moved["float16, no scaling"] > 0.5, "without scaling, most first-layer weights never learn")
claim(never_moved["float16, dynamic scaling (ours)"] <= never_moved["float32"] + 0.01, "with it, as in float32")
print(f"ours vs GradScaler: same {STEPS} scales, max parameter difference {max_diff}")

# %% [markdown]
# Both implementations halve $S$ from $2^{24}$ a few times while skipping the overflowing steps, then
# probe upwards every 10 good steps and fall back at the boundary — and they do so identically, down to the last
# bit of the parameters. Without scaling, most of the first layer's weights never move at all; with it, only the
# weights that also stay still in float32 (those attached to pixels that are constant in the training set)
# remain unchanged. Note what stays in float32 throughout: the parameters and the optimizer state (here
# `autocast` only lowers the precision of the matrix products). That is the other half of mixed precision, the
# float32 **master weights**; the last section shows why it is needed.
#
# ## bfloat16: float32's range, 8 bits of precision
#
# bfloat16 keeps float32's 8 exponent bits and cuts the fraction to 7 bits. Its smallest normal number is
# float32's, $1.2\cdot10^{-38}$, so the gradients above do not underflow — no loss scaling needed. The price is
# precision: the spacing of numbers near 1 is $2^{-7}$, so $1 + 2^{-8}$ is not representable and rounds back to 1.

# %%
bf = lambda v: torch.tensor(v, dtype=torch.float32).to(torch.bfloat16).item()
print(f"1e-30 in float16: {half(1e-30)},  in bfloat16: {bf(1e-30):.4e}")
print(f"1 + 2^-8 in float16: {half(1 + 2**-8)!r},  in bfloat16: {bf(1 + 2**-8)!r}")
claim(half(1e-30) == 0.0 and bf(1e-30) != 0.0, "bfloat16 keeps 1e-30, float16 cannot")
claim(abs(bf(1e-30) - 1e-30) / 1e-30 < 2.0**-8, "... to bfloat16's relative precision")
claim(bf(1 + 2**-8) == 1.0, "bfloat16 rounds 1 + 2⁻⁸ to 1")
claim(half(1 + 2**-8) == 1 + 2**-8, "float16 (10 fraction bits) represents it exactly")

amp_bf16 = weight_grads(deep, dtype=torch.bfloat16)
zeros_bf16 = zero_fraction(amp_bf16, ref)
err_bf16 = max(((a - r).norm() / r.norm()).item() for a, r in zip(amp_bf16, ref, strict=True))
err_fp16_scaled = next(s for s in scan if s["e"] == 12)["rel_err"]
print(f"bfloat16 autocast, no scaling: largest share of zero entries in any layer {zeros_bf16.max():.2%}, "
      f"worst relative error {err_bf16:.1e} (float16 with S = 2^12: {err_fp16_scaled:.1e})")
claim(zeros_bf16.max() < 0.001, "bfloat16 needs no loss scaling: nothing underflows")
claim(err_bf16 > err_fp16_scaled, "but its gradients are less precise than scaled float16's")

# %% [markdown]
# ## Why the weights themselves stay in float32
#
# An update is small compared with the weight it changes: $\eta\,g$ might be $10^{-3}$ against a weight of 1. If
# the weight were *stored* in bfloat16, every such update below half the spacing at 1 (that is $2^{-8} \approx
# 0.004$) would round away, and the weight would never change. Float32 master weights keep the small updates;
# the 16-bit copy is only used to compute.

# %%
theta16 = torch.tensor(1.0, dtype=torch.bfloat16)
theta32 = torch.tensor(1.0, dtype=torch.float32)
for _ in range(100):
    theta16 = theta16 + torch.tensor(1e-3, dtype=torch.bfloat16)
    theta32 = theta32 + 1e-3
print(f"1 + 100 updates of 1e-3: bfloat16 weight {theta16.item()}, float32 weight {theta32.item():.4f}")
claim(theta16.item() == 1.0, "in bfloat16 every update rounds away: the weight is stuck at 1")
claim(abs(theta32.item() - 1.1) < 1e-4, "in float32 the updates add up")

# %% [markdown]
# ## What we learned
#
# - float16 holds nothing nonzero below $2^{-24} \approx 6\cdot10^{-8}$ (values below $3\cdot10^{-8}$ become exactly
#   0) and nothing finite above 65,504; bfloat16 has float32's range but a machine epsilon of $2^{-7}$. We measured
#   each constant on the CPU and checked it against `torch.finfo`.
# - Low precision adds a new kind of vanishing gradient: in an 8-layer sigmoid network computed in float16, most of
#   the first layer's gradient entries were exactly 0. A zero gradient cannot be rescued by any optimizer.
# - **Loss scaling** multiplies the loss by $S$ before backward and divides the gradients by $S$ after; a window of
#   $S$ (here about $2^{10}$–$2^{18}$) removes all underflow without overflow. **Dynamic** scaling (halve and skip
#   on inf/NaN, double after $N$ good steps) finds it automatically; our loop and `torch.amp.GradScaler("cpu")`
#   agreed bit for bit.
# - **bfloat16** needs no loss scaling but rounds $1+2^{-8}$ to 1; that is why mixed precision keeps float32 master
#   weights: in bfloat16, a weight of 1 ignored a hundred updates of $10^{-3}$.
# - Hardware made training faster by lowering precision; it did not make gradients better behaved. The newest
#   8-bit formats push the same trade-off further ([5.5](05_newer_optimizers.ipynb)).
