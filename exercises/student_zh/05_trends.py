# %% [markdown]
# # 练习 5 · 趋势：大批量、数据并行、低精度、Transformer、较新的优化器
#
# 六道练习，配合[大批量训练](../../chapters/05_trends/01_large_batch.ipynb)、[数据并行训练](../../chapters/05_trends/02_data_parallel.ipynb)、[低精度](../../chapters/05_trends/03_low_precision.ipynb)、[Transformer](../../chapters/05_trends/04_transformers.ipynb)和[较新的优化器](../../chapters/05_trends/05_newer_optimizers.ipynb)各节使用。
#
# 填写每个标有 `raise NotImplementedError(...)` 的单元格，然后运行其后的检查。检查会把你的结果与 `gradcourse.optim`（LARS、Lion）和 `gradcourse.schedules` 进行比较。

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import check, plots
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 5.1 · LARS 的信任比（实现，核心，约 10 分钟）
#
# LARS（You、Gitman 和 Ginsburg，2017）为每一层（layer）设置各自的学习率（learning rate），与该层权重（weight）的大小成正比：
#
# $$\eta_{\text{local}} = \eta_{\text{trust}}\,\frac{\|\theta\|}{\|g\| + \lambda\|\theta\|},$$
#
# 其中 $\lambda$ 是权重衰减（weight decay），范数对整个层（数组的全部元素）计算。约定：当 $\|\theta\| = 0$（初始化为零的偏置（bias））或分母为 0 时，比值取 1。编写 `lars_trust_ratio(theta, grad, *, trust_coefficient, weight_decay)`。

# %%
def lars_trust_ratio(theta, grad, *, trust_coefficient, weight_decay):
    """η_trust·‖θ‖ / (‖g‖ + λ‖θ‖), or 1 if ‖θ‖ or the denominator is 0."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：np.linalg.norm 给出整个数组的范数；先处理为零的情况')


# %%
check.lars_trust_ratio(lars_trust_ratio)

# %% [markdown]
# ## 练习 5.2 · Lion 的一步（实现，核心，约 10 分钟）
#
# Lion（Chen 等人，2023）使每个坐标恰好移动 $\eta$，方向为动量（momentum）与梯度（gradient）之间某个插值的符号；之后它再用另一个 $\beta$ 更新动量：
#
# $$c = \beta_1 m + (1 - \beta_1)\,g, \qquad \theta \leftarrow \theta - \eta\,\big(\operatorname{sign}(c) + \lambda\theta\big),
#   \qquad m \leftarrow \beta_2 m + (1 - \beta_2)\,g .$$
#
# 编写返回 `(theta, m)` 的 `lion_step(theta, grad, m, *, lr, betas, weight_decay)`。

# %%
def lion_step(theta, grad, m, *, lr, betas, weight_decay):
    """One Lion step; returns the new (theta, m)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：方向 c 使用的是这一步之前的动量')


# %%
check.lion_step(lion_step)

# %% [markdown]
# ## 练习 5.3 · 带渐进式学习率预热（gradual warmup）的线性缩放规则（实现，核心，约 10 分钟）
#
# Goyal 等人（2017）以 8192 的批量在 ImageNet 上训练：当批量增大 $k = B/B_0$ 倍时，把学习率乘以 $k$，但要逐步达到它——从小批量时的学习率 $\eta_0$ 开始，在 $W$ 步内线性升至 $k\eta_0$：
#
# $$\eta_t = \eta_0 + (k\eta_0 - \eta_0)\,\frac{t}{W} \ (t < W), \qquad \eta_t = k\eta_0 \ (t \ge W).$$
#
# 编写 `large_batch_lr(step, *, base_lr, base_batch, batch, warmup_steps)`。

# %%
def large_batch_lr(step, *, base_lr, base_batch, batch, warmup_steps):
    """Linear scaling rule with gradual warmup (Goyal et al. 2017)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：k = batch / base_batch，线性增长从 base_lr 开始')


# %%
check.large_batch_lr(large_batch_lr)

# %%
curves = {f"batch {b}": [large_batch_lr(t, base_lr=0.1, base_batch=256, batch=b, warmup_steps=20) for t in range(40)]
          for b in (256, 1024, 8192)}
plots.schedule_curves(curves, title="Linear scaling with a 20-step warmup (base batch 256, η₀ = 0.1)", log=True)
plt.show()

# %% [markdown]
# ## 练习 5.4 · 在 float16 中什么能保留下来？（先预测，再运行，核心，约 10 分钟）
#
# 在混合精度训练（autocast）中，激活值以及反向流经它们的梯度都是 16 位浮点数；主权重及其 `.grad` 则保持为 float32。对下面的每个值，**预测**它以 `torch.float16` 存储时是恰好变为 `0`（`True`）还是得以保留（`False`）。最后一个值是经过 1024 倍*损失缩放*后的 $10^{-8}$（在 `backward()` 之前把损失——因而 16 位反向传播中的每个梯度——乘以 1024）。

# %%
becomes_zero = {"1e-3": ..., "1e-6": ..., "1e-8": ..., "1e-8 × 1024": ...}
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的每个 ... 换成 True 或 False，然后删掉这一行')

# %% [markdown]
# 运行它。float16 能表示的最小正数就是它的最小次正规数 $2^{-24}$；小于它一半（即 $2^{-25}$）的值会恰好变为 `0`（最后一行把两者都打印出来；[5.3](../../chapters/05_trends/03_low_precision.ipynb)）。

# %%
for key, value in {"1e-3": 1e-3, "1e-6": 1e-6, "1e-8": 1e-8, "1e-8 × 1024": 1e-8 * 1024}.items():
    stored = torch.tensor(value, dtype=torch.float16).item()
    print(f"{key:>12} → float16 {stored:.4g}   (relative error {abs(stored - value) / value:.1%})")
print("float16: smallest normal", torch.finfo(torch.float16).tiny, "  smallest subnormal", np.ldexp(1.0, -24),
      "  half of it", np.ldexp(1.0, -25))

# %%
check.fp16_prediction(becomes_zero)

# %% [markdown]
# ## 练习 5.5 · 合并各工作节点的梯度（推导，核心，约 15 分钟）
#
# 配合 [5.2 数据并行训练](../../chapters/05_trends/02_data_parallel.ipynb)。$K$ 个工作节点各持有 $N = \sum_k n_k$ 个样本中的一个分片，含 $n_k$ 个样本，并计算其分片上损失的平均梯度 $\bar g_k$。由 $\bar g_k$ 和 $n_k$ 推导**全部** $N$ 个样本上平均损失的梯度，并编写 `combine(grads, sizes)`。简单平均 $\frac1K\sum_k \bar g_k$（即全归约后再除以 $K$ 所得的结果）何时与之相等？

# %%
def combine(grads, sizes):
    """The full-batch mean gradient from the workers' shard-mean gradients and shard sizes."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：把完整的平均损失写成：对各分片求和，每个分片内再对其样本求和')


# %%
check.combine_shard_gradients(combine)

# %% [markdown]
# ## 练习 5.6 · 为什么注意力要除以 √d（推导，核心，约 15 分钟）
#
# 配合 [5.4 Transformer](../../chapters/05_trends/04_transformers.ipynb)。对 $\mathbb R^d$ 中的查询 $q$ 和键 $k$，注意力的 logits 为 $s\,q^\top k$。在初始化（initialization）时，设 $q$ 和 $k$ 的各元素相互独立，均值为 0，方差为 1。推导 $\operatorname{Var}(q^\top k)$，再推导无论 $d$ 为何值都使 logits 方差为 1 的缩放 $s$。编写 `attention_scale(d)`；检查会测量 logits 的分散程度。

# %%
def attention_scale(d):
    """The scale s that gives s·qᵀk unit variance."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：d 个独立项之和的方差；Var(q_i k_i) = E[q_i²]E[k_i²]')


# %%
check.attention_scale(attention_scale)

# %% [markdown]
# 为什么这很重要：对分散程度很大的 logits 取 softmax，几乎会把全部权重放在一个键上，其梯度随之消失。以下是 2,000 个随机查询对 32 个键时最大注意力权重的平均值：

# %%
gen = torch.Generator().manual_seed(0)
for d in (16, 256):
    q, k = torch.randn(2000, d, generator=gen), torch.randn(32, d, generator=gen)
    raw, scaled = (q @ k.T).softmax(dim=1), (q @ k.T * attention_scale(d)).softmax(dim=1)
    print(f"d = {d:>3}: largest weight {raw.max(dim=1).values.mean():.2f} unscaled, "
          f"{scaled.max(dim=1).values.mean():.2f} scaled by your s")

# %% [markdown]
# **要点。** 大批量既需要更大的学习率，*也*需要学习率预热（warmup）来逐步达到它；LARS 和 LAMB 更进一步，按每层自身的权重来确定该层的步长；Lion 只保留符号。各工作节点的梯度按其分片大小加权合并；注意力的 logits 需要 $1/\sqrt d$ 来防止 softmax 饱和。而在半精度下，低于约 $3\cdot10^{-8}$（float16 能表示的最小正数 $2^{-24} \approx 6\cdot10^{-8}$ 的一半）的梯度——这在深层网络的前几层中很常见——会变为零，除非先把损失放大。
