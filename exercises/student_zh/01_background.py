# %% [markdown]
# # 练习 1 · 背景：为什么深度是个难题
#
# 配合 [1.1 为什么深度使训练变得困难](../../chapters/01_background/01_why_depth_is_hard.ipynb) 和 [1.2 第一个实验](../../chapters/01_background/02_first_experiment.ipynb) 的三道练习。
#
# **如何做练习。** 每道练习都有一个待填写的单元格——用你的代码替换 `raise NotImplementedError(...)` 这一行——紧随其后是一个*检查*单元格。运行检查：它会回答 ✓，或者用浅显的语言告诉你返回了什么、期望的是什么，以及可能的原因。写出最直接的代码；不要导入本课程对你被要求编写之内容的现成实现（检查会拿你的结果与它比较）。
#
# 记号与课程中相同：$z$ 为预激活值，$h = \sigma(z)$ 为一个单元的输出，$w$ 为权重（weight），$\sigma(z) = 1/(1+e^{-z})$ 为逻辑 Sigmoid 函数（sigmoid）。

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch.nn.functional as F

from gradcourse import check, data, diagnostics, nets, plots
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 1.1 · Sigmoid 函数的斜率（实现，核心，约 10 分钟）
#
# 经过一个 Sigmoid 函数单元的反向传播，会把梯度（gradient）乘以它的斜率
#
# $$\sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big).$$
#
# 为 numpy 数组 `z` 编写 `sigmoid_prime(z)`（逐元素计算）。它对很大的 $|z|$（例如 $z = -800$）也必须有效，不能返回 NaN。

# %%
def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z)), elementwise."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：只算一次 σ(z) 并重复使用它；在 e^(−z) 溢出的地方它仍是有限值')


# %%
check.sigmoid_prime(sigmoid_prime)

# %% [markdown]
# 你的 $\sigma'$ 在网格上的取值：它的峰值就是一个 Sigmoid 函数层所能贡献的最大因子（还要乘以其权重）。

# %%
z = np.linspace(-8, 8, 401)
fig, ax = plt.subplots()
ax.plot(z, sigmoid_prime(z))
ax.axhline(0.25, color="0.6", linestyle=":", label="1/4")
ax.set_title("The slope of the sigmoid")
ax.set_xlabel("pre-activation z")
ax.set_ylabel("σ'(z)")
ax.legend()
plt.show()

# %% [markdown]
# ## 练习 1.2 · 经过一条链的梯度是一个乘积（实现，核心，约 15 分钟）
#
# 由单单元层（layer）组成的链：$h_0 = x$，且对 $l = 1, \dots, D$ 有
#
# $$z_l = w_l h_{l-1} + b_l, \qquad h_l = \sigma(z_l).$$
#
# 链式法则（chain rule）把最后输出对输入的导数（derivative）表示为每层一个因子的乘积：
#
# $$\frac{dh_D}{dx} = \prod_{l=1}^{D} w_l\, \sigma'(z_l).$$
#
# 编写 `chain_gradient(x, w, b)`（`w`、`b`：长度为 $D$ 的数组），它运行前向传播（forward pass），并以一个数的形式返回 $dh_D/dx$。你可以使用自己的 `sigmoid_prime`。

# %%
def chain_gradient(x, w, b):
    """dh_D/dx for the chain h_l = σ(w_l h_{l−1} + b_l), h_0 = x."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：逐层循环，把 h 向前传递，每层乘上一个因子')


# %%
check.chain_gradient(chain_gradient)

# %% [markdown]
# ## 练习 1.3 · 哪些深度网络会出现梯度消失（vanishing gradient）？（先预测，再运行，核心，约 10 分钟）
#
# 四个网络各有 20 个隐藏层、每层 64 个单元，`nets.mlp(64, 10, depth=20, width=64, ...)`，各自输入同一批 256 张手写数字图像。对每个网络，**预测**第 1 个隐藏层的梯度是否小于第 20 个隐藏层梯度的 $1/100$：
#
# | 键 | 激活函数 | 初始化（initialization） |
# |---|---|---|
# | `"sigmoid + xavier"` | Sigmoid 函数 | Xavier 均匀分布 |
# | `"tanh + xavier"` | 双曲正切函数（tanh） | Xavier uniform |
# | `"relu + torch default"` | 修正线性单元（ReLU） | `torch.nn.Linear` 的默认初始化，$U(\pm 1/\sqrt{n_{\mathrm{in}}})$ |
# | `"relu + he"` | ReLU | He（Kaiming）正态分布 |
#
# 在运行下面的实验*之前*，为每个网络写下 `True`（梯度消失）或 `False`。

# %%
vanishes = {"sigmoid + xavier": ..., "tanh + xavier": ..., "relu + torch default": ..., "relu + he": ...}
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的每个 ... 换成 True 或 False，然后删掉这一行')

# %% [markdown]
# 现在运行实验：四个网络中每个隐藏层的梯度范数。

# %%
split = data.digits(as_tensors=True)
X, y = split.X_train[:256], split.y_train[:256]
settings = {"sigmoid + xavier": ("sigmoid", "xavier_uniform"), "tanh + xavier": ("tanh", "xavier_uniform"),
            "relu + torch default": ("relu", "default"), "relu + he": ("relu", "kaiming_normal")}
norms = {}
for key, (activation, init) in settings.items():
    model = nets.mlp(64, 10, depth=20, width=64, activation=activation, init=init, seed=0)
    F.cross_entropy(model(X), y).backward()
    by_layer = diagnostics.grad_norms(model)
    norms[key] = [by_layer[f"blocks.{l}.linear"] for l in range(20)]
    print(f"{key:>21}: layer 1 / layer 20 = {norms[key][0] / norms[key][-1]:.2g}")
plots.grad_norms_by_layer(norms, title="20 hidden layers at initialization", ylabel="‖∂ℓ/∂θ_l‖₂")
plt.show()

# %%
check.vanishing_prediction(vanishes)

# %% [markdown]
# **要点。** 靠前的层的梯度是一个乘积，每层贡献一个因子。Sigmoid 函数的因子至多是权重的 $1/4$ 倍，而忽视激活函数的初始化（ReLU 配合 torch 的默认初始化）也会使它缩小；与激活函数相匹配的初始化能使它保持在 1 附近。第 3 部分（[初始化](../../chapters/03_algorithms/09_initialization.ipynb)）推导了其中的原因。
