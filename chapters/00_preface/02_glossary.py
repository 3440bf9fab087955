# %% [markdown]
# # 0.3 Glossary · 术语表 (English / 中文)
#
# The course grew out of five Chinese articles, and many readers will meet these ideas in Chinese first. This
# glossary lists every technical term the articles use (and the few the course adds), with its usual Chinese
# name, a one-line definition and the chapter that explains it. Where an article uses a term wrongly — a
# garbled name, a wrong definition — the last column says so; each of those errors is corrected, with a cell
# that proves it, in the chapter linked.
#
# The articles are called A1–A5 throughout the course (see [how to use this course](01_how_to_use.ipynb)):
# A1 gradient vanishing and learning-rate adjustment; A2 "mathematical principles"; A3 optimization strategies;
# A4 gradient stability; A5 the history of the vanishing-gradient problem.
#
# The table is kept as data in the next cell, so the book can check it (no term twice, every Chinese character
# printable) and render it.

# %%
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from matplotlib import font_manager, ft2font
from matplotlib.font_manager import FontProperties

from gradcourse import nets, plots
from gradcourse.seeding import seed_everything

seed_everything(0)
cjk_font = plots.use_book_style()  # the Chinese font the figures use (None if none is installed)

CHAPTERS = {
    "0.1": "01_how_to_use", "0.2": "02_conventions",
    "1.1": "../01_background/01_why_depth_is_hard", "1.2": "../01_background/02_first_experiment",
    "2.1": "../02_concepts/01_backprop_from_scratch", "2.2": "../02_concepts/02_vanishing_exploding",
    "2.3": "../02_concepts/03_learning_rate",
    "3.1": "../03_algorithms/01_gd_sgd_minibatch", "3.2": "../03_algorithms/03_momentum_nesterov",
    "3.3": "../03_algorithms/04_adagrad_rmsprop_adadelta", "3.4": "../03_algorithms/05_adam_family",
    "3.5": "../03_algorithms/07_schedules", "3.6": "../03_algorithms/08_clipping",
    "3.7": "../03_algorithms/09_initialization", "3.8": "../03_algorithms/11_normalization_residuals",
    "4.1": "../04_code/01_documents_code_repaired", "4.3": "../04_code/04_diagnosing_a_network",
    "5.1": "../05_trends/01_large_batch", "6.2": "../06_faq/02_claims_checked",
}

# (English, 中文, one-line definition, chapters that explain it, what the articles get wrong — or "")
GLOSSARY = [
    # --- networks and their parts
    ("neural network", "神经网络", "a function built from layers, each a weighted sum followed by an activation function", "1.1", ""),
    ("deep learning", "深度学习", "training neural networks with many layers", "1.1", ""),
    ("multilayer perceptron (MLP)", "多层感知器（多层感知机）", "a fully connected network: every unit of a layer feeds every unit of the next", "2.1", ""),
    ("layer", "层", "one linear map z = Wh + b followed by an activation h = σ(z)", "2.1", ""),
    ("weight", "权重", "an entry of a layer's matrix W; the weights and biases together are the parameters θ", "2.1", ""),
    ("bias", "偏置", "the vector b added in each layer's linear map", "2.1", ""),
    ("parameter", "参数（模型参数）", "a number θ that training adjusts", "0.1", ""),
    ("hyperparameter", "超参数", "a setting fixed before training — η, β, batch size — not learned from data", "2.3", ""),
    ("activation function", "激活函数", "the elementwise nonlinearity σ applied after each linear map", "2.2", ""),
    ("sigmoid (logistic function)", "Sigmoid 函数（逻辑函数）", "σ(z) = 1/(1 + e^(−z)); its derivative is at most 1/4", "2.2", ""),
    ("tanh", "双曲正切函数", "tanh z = (e^z − e^(−z))/(e^z + e^(−z)); its derivative is at most 1", "2.2", ""),
    ("ReLU (rectified linear unit)", "修正线性单元", "max(0, z); its derivative is 1 where active, 0 elsewhere", "2.2, 1.2", ""),
    ("nonlinearity", "非线性", "the property of σ that lets stacked layers represent more than one linear map", "2.2",
     "A4 §2.2.2 blames 「激活函数的非线性过程」 for explosion: the activations cannot amplify (|σ'| ≤ 1); the weights do (2.2)"),
    ("saturation", "饱和", "an activation sitting on its flat tails, where σ'(z) ≈ 0 and almost no gradient passes", "2.2, 4.3", ""),
    ("linear regression", "线性回归", "fitting y ≈ wx + b by minimising the squared error; the articles' code examples", "4.1", ""),
    ("expressive power (capacity)", "表达能力", "the range of functions a network can represent", "1.2",
     "A5 §1.4.2 says wider networks, having more 表达能力, solve vanishing gradients: width does not change the per-layer factor (1.1)"),
    # --- loss, gradient, backpropagation
    ("loss function", "损失函数（代价函数）", "the number L(θ) that training minimises", "2.1", ""),
    ("mean squared error", "均方误差", "the mean of (ŷ − y)² over outputs and examples", "2.1", ""),
    ("cross-entropy", "交叉熵", "−log of the probability the softmax assigns to the correct class, averaged over examples", "2.1", ""),
    ("gradient", "梯度", "∇_θ L: the vector of partial derivatives of the loss with respect to the parameters", "2.1",
     "A4 §1 calls it 「模型参数相对于损失函数的偏导数」, derivatives of the parameters with respect to the loss — the other way round (2.1)"),
    ("partial derivative", "偏导数", "the rate of change of a function in one variable with the others held fixed", "2.1", ""),
    ("derivative", "导数", "the rate of change f'(x) of a one-variable function", "2.2", ""),
    ("chain rule", "链式法则", "the derivative of a composition is the product of the derivatives (Jacobians) of its parts", "2.1",
     "A4 §3.2 writes 「链规则」 and one step of it; applied recursively from the loss down it is backpropagation (2.1)"),
    ("Jacobian", "雅可比矩阵", "the matrix of all partial derivatives ∂f_i/∂x_j of a vector function", "2.1, 2.2", ""),
    ("forward pass", "前向传播（前馈）", "computing the network's output layer by layer from the input", "2.1",
     "A1 §2.1 says vanishing gradients happen in the 「前馈过程」: gradients exist only in the backward pass (2.2)"),
    ("backpropagation", "反向传播", "the chain rule applied from the loss backwards: the exact gradient of every parameter at the cost of about one extra pass", "2.1",
     "A5 §1.1.3 calls it 「反向差分法」, a difference method that estimates the gradient: it is exact and uses no differences (1.1, 2.1)"),
    ("finite differences", "有限差分", "estimating a derivative as (f(x + ε) − f(x − ε))/2ε; a check for gradients, slow and approximate", "2.1", ""),
    ("automatic differentiation", "自动微分", "computing exact derivatives of a program by the chain rule (PyTorch's autograd)", "2.1", ""),
    ("Taylor series", "泰勒级数", "writing f near a as f(a) + f'(a)(x − a) + f''(a)(x − a)²/2 + …", "2.2",
     "A2 §2 defines vanishing gradients through a Taylor series (f'(a) = 0 makes f grow without bound): false, and unrelated (2.2)"),
    ("numerical error, overflow", "数值误差、数值溢出", "rounding error of floating-point arithmetic; overflow when a number exceeds the largest float and becomes inf or NaN", "2.1, 2.2", ""),
    # --- the problem
    ("vanishing gradient", "梯度消失", "the gradient reaching early layers (or early time steps) becomes tiny, because it is a long product of factors below 1", "1.1, 2.2",
     "A1 §2.1 places it in the forward pass; A2 §1 defines it by 「输入的大小变化」 and a Taylor series; A5 §3.2 writes a product over training iterations (2.2)"),
    ("exploding gradient", "梯度爆炸", "the same product growing very large: huge steps, overflow, NaN", "2.2, 3.6",
     "A2 §1 says it causes overfitting (「引发模型的过拟合现象」) and A4 §2.2.2 that it comes from the activations' nonlinearity: both wrong (2.2)"),
    ("spectral norm", "谱范数", "‖W‖₂, the largest singular value: the most W can stretch a vector", "2.2", ""),
    ("spectral radius", "谱半径", "ρ(W), the largest |eigenvalue|: decides whether W^k grows or shrinks with k", "2.2", ""),
    ("recurrent neural network (RNN)", "循环神经网络", "a network that applies the same layer at every time step of a sequence", "2.2", ""),
    ("time step", "时间步", "one position t of a sequence in an RNN; in optimizers, one update", "2.2, 0.1", ""),
    ("backpropagation through time", "随时间反向传播", "backpropagation through an RNN unrolled over its time steps", "2.2", ""),
    ("long short-term memory (LSTM)", "长短期记忆网络", "an RNN whose gated cell carries the error over long lags without shrinking it", "1.1", ""),
    ("stability (of gradients)", "（梯度的）稳定性", "gradients of similar size in all layers, neither vanishing nor exploding", "2.2", ""),
    # --- optimization
    ("optimization", "优化", "finding parameters that minimise the loss", "2.3", ""),
    ("optimizer", "优化器", "the rule that turns gradients into parameter updates (SGD, Adam, …)", "3.1", ""),
    ("gradient descent", "梯度下降", "θ ← θ − η∇L(θ), with the gradient of the whole training set", "2.3, 3.1",
     "A1 §3.1 calls it 「一种最先进的优化算法」 (the most advanced optimization algorithm): it is the most basic one"),
    ("stochastic gradient descent (SGD)", "随机梯度下降", "gradient descent with the gradient of a random mini-batch", "3.1", ""),
    ("mini-batch", "小批量", "a small random subset of the training examples used for one gradient estimate", "3.1",
     "A4 §3.4 calls mini-batch gradient descent 「批量梯度下降」; that name usually means full-batch gradient descent (3.1)"),
    ("batch size", "批量大小", "the number of examples in a mini-batch", "3.1, 5.1",
     "A2 §1 lists a small batch size (and a small initial learning rate) under 「初始化」 (initialization): they are training settings (1.1)"),
    ("epoch", "轮（epoch）", "one pass over the whole training set", "1.2", ""),
    ("iteration (step)", "迭代（步）", "one parameter update; t counts them, starting at 1", "0.1, 0.2", ""),
    ("learning rate (step size)", "学习率（步长）", "η, the factor that scales every update", "2.3", ""),
    ("convergence", "收敛", "the iterates approach a minimum and the loss stops decreasing", "2.3", ""),
    ("divergence", "发散", "the iterates run away and the loss grows (for gradient descent on a quadratic: η > 2/L)", "2.3", ""),
    ("condition number", "条件数", "κ = L/μ, the ratio of the largest to the smallest curvature", "2.3", ""),
    ("smoothness constant", "光滑常数（Lipschitz 常数）", "L, the largest curvature of the loss; gradient descent needs η < 2/L", "2.3", ""),
    ("convex / non-convex function", "凸函数 / 非凸函数", "a function whose every chord lies above its graph / one with several valleys and saddles", "2.3", ""),
    ("stationary point", "驻点", "a point where the gradient is exactly zero", "2.2", ""),
    ("saddle point", "鞍点", "a stationary point where the loss curves up in some directions and down in others", "2.2",
     "A2 §2 calls any point with a small derivative 「鞍点」: a small gradient alone says nothing (2.2)"),
    ("local minimum", "局部极小值（局部最小值）", "a point lower than all points near it", "3.2",
     "A2 §1 says momentum helps 「跳跃到局部最小值」 (jump to local minima): momentum accelerates along consistent directions (3.2)"),
    ("Newton's method", "牛顿法", "x ← x − f'(x)/f''(x); on a quadratic it reaches the minimum in one step (gradient descent with η = 1/L)", "2.3",
     "A2 §2 uses 「牛顿迭代法」 inside a 'proof' about the roots of a quadratic (「两个特解」, which are roots, 根) that proves nothing (2.3)"),
    ("first-order method", "一阶优化方法", "a method that uses gradients only, no second derivatives", "3.1",
     "A4 §6 says 「第一阶段优化方法」 (a 'first-stage' method): a mistranslation of first-order"),
    ("momentum", "动量（动量法）", "using a running sum or average of past gradients as the step direction", "3.2, 0.2",
     "A3 §6 says momentum is an adaptive-learning-rate method (「都是自适应学习率的优化算法」): it is not (3.2)"),
    ("Nesterov accelerated gradient", "Nesterov 加速梯度", "momentum with the gradient taken at the look-ahead point", "3.2, 0.2",
     "A4 §5 lists it under 「非梯度优化」 (non-gradient optimization): it is a gradient method (3.2)"),
    ("exponential moving average (EMA)", "指数移动平均", "a_t = βa_{t−1} + (1 − β)x_t: a mean in which older values count geometrically less", "3.2, 3.4",
     "A3 §3.3 writes 「指数指数移动平均」 (the word 'exponential' doubled)"),
    ("decay rate", "衰减系数（衰减率）", "β in an exponential moving average: how much of the old average is kept", "3.4", ""),
    ("first-moment estimate", "一阶矩估计", "Adam's m_t, an EMA of the gradient", "3.4", ""),
    ("second-moment estimate", "二阶矩估计", "Adam's v_t, an EMA of the squared gradient (uncentred)", "3.4", ""),
    ("bias correction", "偏差修正", "dividing an EMA started at zero by 1 − β^t so early estimates are not too small", "3.4", ""),
    ("adaptive learning rate", "自适应学习率", "a separate step size per parameter, from statistics of its gradients", "3.3, 3.4", ""),
    ("AdaGrad", "AdaGrad（自适应梯度）", "divides each step by the root of the sum of all past squared gradients", "3.3", ""),
    ("RMSprop", "RMSprop（均方根传播）", "divides each step by the root of an EMA of squared gradients", "3.3", ""),
    ("Adadelta", "Adadelta", "RMSprop with the learning rate replaced by an RMS of past updates", "3.3", ""),
    ("Adam", "Adam（自适应矩估计）", "momentum (first moment) divided by the root of the second moment, both bias-corrected", "3.4",
     "A1 §3.2 says Adam combines dynamic learning rates with gradient clipping (「结合了动态学习率调整和梯度裁剪」): Adam does not clip (3.4); A2 §1 calls it the product of a new learning-rate decay strategy"),
    ("AMSGrad", "AMSGrad", "Adam dividing by the running maximum of the second moment", "3.4, 0.2", ""),
    ("weight decay", "权重衰减", "shrinking the weights a little at every step (as an L2 term, or decoupled)", "3.4, 0.2", ""),
    ("AdamW (decoupled weight decay)", "AdamW（解耦权重衰减）", "Adam with weight decay applied to θ directly instead of through the gradient", "3.4, 0.2", ""),
    ("learning-rate schedule (decay)", "学习率调度（学习率衰减）", "changing η during training by a fixed rule", "3.5",
     "A1 §2.2 calls it 「动态学习率调整」, and its §3.2 lists AdaGrad, RMSprop and Adam among the schedules: they are optimizers (3.3, 3.4)"),
    ("constant learning rate", "固定学习率", "the same η at every step", "2.3, 3.5", ""),
    ("exponential decay", "指数衰减", "η_t = η·γ^t", "3.5",
     "A1 §3.2 gives 「指数衰减学习率」 the formula α(1 − t/T)^γ, which is polynomial decay (3.5)"),
    ("polynomial decay", "多项式衰减", "η_t = η·(1 − t/T)^p", "3.5", ""),
    ("warm restarts", "热重启", "resetting a cosine schedule to its high value on a fixed timetable (SGDR)", "3.5",
     "A1 §3.2 describes 「重启学习率」 as resetting η when the loss reaches a threshold, which is not how warm restarts work (3.5)"),
    ("warmup", "学习率预热", "raising η from a small value over the first steps", "3.5, 5.1", ""),
    ("learning-rate range test", "学习率范围测试", "a short run with exponentially increasing η to find the edge of stability", "2.3", ""),
    ("gradient clipping", "梯度裁剪", "limiting the gradient before the update, by value or by norm", "3.6, 2.2", ""),
    ("clipping by value", "按值裁剪", "clip every gradient entry to [−c, c] (the direction may turn)", "3.6", "A2 §2 calls it 「绝对值裁剪」"),
    ("clipping by norm", "按范数裁剪", "rescale the whole gradient when its norm exceeds a threshold (the direction is kept)", "3.6", "A2 §2: 「范数裁剪」"),
    # --- making deep networks trainable
    ("initialization", "初始化", "choosing the starting weights; their scale sets each layer's gain", "3.7", ""),
    ("weight initialization", "权重初始化", "the same as initialization, for the weight matrices", "3.7", ""),
    ("Xavier (Glorot) initialization", "Xavier 初始化", "weights of variance 2/(fan_in + fan_out), for tanh- and sigmoid-like units", "3.7", ""),
    ("He (Kaiming) initialization", "He 初始化", "weights of variance 2/fan_in, for ReLU units", "3.7, 1.2", ""),
    ("batch normalization", "批量归一化", "standardizing each unit's pre-activation over the mini-batch, then rescaling it with learned parameters", "3.8, 1.2",
     "A5 §1.4.4 and §2.3 call it 「批量正则化」 (batch *regularization*) and describe it as a regularization term: it is a normalization (1.1)"),
    ("layer normalization", "层归一化", "standardizing the units of one example across the layer", "3.8", ""),
    ("residual connection", "残差连接", "a block that outputs h + f(h), so its Jacobian contains the identity", "3.8, 1.2", ""),
    ("network architecture", "网络结构", "the arrangement of layers, widths and connections", "1.2",
     "A1 §5 lists 「结构优化」 (changing the structure during training) as a remedy; the structural remedies that work are normalization and residual connections (1.2)"),
    # --- generalization
    ("overfitting", "过拟合", "a low training loss with a clearly higher validation loss", "2.3",
     "A2 §1 and A4 §3.3 say exploding gradients and large learning rates cause it: they make the *training* loss blow up (2.2, 2.3)"),
    ("generalization", "泛化", "how well a model does on data it was not trained on", "2.3", ""),
    ("regularization", "正则化", "anything that fights overfitting — an L2 penalty, Dropout — not a remedy for vanishing gradients", "1.1",
     "A2 §1 and A5 §2.3 present it as a cure for vanishing gradients (1.1)"),
    ("Dropout", "Dropout（随机失活）", "zeroing a random fraction of units at each training step", "1.1", ""),
    ("training / validation / test set", "训练集 / 验证集 / 测试集", "data to fit on / to choose settings with / for the final, untouched estimate", "1.2", ""),
    ("large-batch training", "大批量训练", "training with very large mini-batches, which needs learning-rate scaling and warmup", "5.1", ""),
]

rows = ["| English | 中文 | Definition | Explained in | What the articles get wrong |", "|---|---|---|---|---|"]
for english, chinese, definition, where, note in GLOSSARY:
    links = ", ".join(f"[{ref}]({CHAPTERS[ref]}.ipynb)" for ref in where.split(", "))
    rows.append(f"| **{english}** | {chinese} | {definition} | {links} | {note} |")
display(Markdown("\n".join(rows)))

# %% [markdown]
# ## Checks
#
# The glossary is only useful if each term appears once and each link leads somewhere. The cell checks both,
# and counts how many terms the articles misuse.

# %%
english_terms = Counter(e.lower() for e, *_ in GLOSSARY)
chinese_terms = Counter(c for _, c, *_ in GLOSSARY)
duplicates = [t for t, n in (english_terms + chinese_terms).items() if n > 1]
print(f"{len(GLOSSARY)} terms; {sum(bool(note) for *_, note in GLOSSARY)} of them are misused by at least one article")
assert not duplicates, f"duplicate terms in the glossary: {duplicates}"
assert all(definition and where for _, _, definition, where, _ in GLOSSARY), "every term has a definition and a chapter"
assert all(ref in CHAPTERS for *_, where, _ in GLOSSARY for ref in where.split(", ")), "every chapter reference resolves"
names = {name for c in chinese_terms for name in c.replace("）", "").replace("（", "、").replace(" / ", "、").split("、")}
for required in ("梯度消失", "梯度爆炸", "学习率", "动量", "梯度裁剪", "批量归一化", "正则化", "初始化", "反向传播", "激活函数",
                 "损失函数", "收敛", "鞍点", "过拟合", "自适应学习率", "学习率衰减", "指数移动平均", "一阶矩估计", "二阶矩估计"):
    assert required in names, f"the glossary has no entry for {required}"

# %% [markdown]
# ## 图中的中文 — Chinese in the figures
#
# Figures in this course may carry Chinese labels, so the book needs a font with Chinese glyphs
# (`plots.use_book_style` picks the first installed one of `plots.CJK_FONTS`). The figure below labels the
# sigmoid and its derivative in both languages; the cell then checks that the font has a glyph for every
# Chinese character in the figure *and* in the whole glossary — a missing glyph would otherwise print as an
# empty box without any error.

# %%
sigmoid = nets.get_activation("sigmoid")
z = np.linspace(-8, 8, 801)
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(z, sigmoid.f(z), label="激活函数 activation σ(z)")
ax.plot(z, sigmoid.df(z), label="导数 derivative σ'(z) ≤ 1/4")
for side in (-1, 1):
    ax.axvspan(side * 4, side * 8, color="0.85")
ax.text(-7.7, 0.62, "饱和区 saturation:\nσ' ≈ 0 → 梯度消失\n(vanishing gradient)", fontsize=9)
ax.text(4.3, 0.3, "饱和区 saturation", fontsize=9)
ax.set_title("Sigmoid 激活函数与梯度消失 — the sigmoid and vanishing gradients")
ax.set_xlabel("预激活 pre-activation z")
ax.set_ylabel("值 value")
ax.legend(loc="center right")
plt.show()

figure_text = "".join(t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text")))
chinese_chars = {ch for text in [figure_text, *chinese_terms] for ch in text if "\u4e00" <= ch <= "\u9fff"}
print(f"Chinese font: {cjk_font}; {len(chinese_chars)} distinct Chinese characters to draw")
assert cjk_font is not None, "no Chinese font installed (Debian/Ubuntu: apt install fonts-wqy-microhei)"
font = ft2font.FT2Font(font_manager.findfont(FontProperties(family=cjk_font), fallback_to_default=False))
missing = sorted(ch for ch in chinese_chars if font.get_char_index(ord(ch)) == 0)
assert not missing, f"the font has no glyph for {''.join(missing)}"
print("every Chinese character of the figure and the glossary has a glyph: checked.")

# %% [markdown]
# ## What we learned
#
# - Each term of the course has one English and one (usual) Chinese name; synonyms the articles use are given
#   in brackets (损失函数 / 代价函数, 学习率 / 步长).
# - About a third of the terms are misused by at least one article — most often *batch normalization*
#   (A5's 批量正则化), *backpropagation* (A5's 反向差分法), *saddle point* and *overfitting* (A2). Each
#   misuse is corrected, with evidence, in the chapter linked from its row, and collected in
#   [6.2 claims checked](../06_faq/02_claims_checked.ipynb).
