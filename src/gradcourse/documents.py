"""The source articles' programs, each quoted once.

Four of the five source articles (A1–A5, identified in the preface) end with a program. This module holds each
program's text exactly as the article prints it, and is the one copy that chapters show, exercises start from
and checks derive from::

    from gradcourse import documents
    print(documents.source("a3"))              # A3's whole program, as printed
    print(documents.source("a3_adam"))         # only its ``adam`` function (a slice of the same text)
    adam = documents.load("a3_adam").adam      # the function, defined by running that text
    a3 = documents.load("a3", through="adam")  # A3's data, starting point and three functions; no training

A key is a program (``"a1"``, ``"a3"``, ``"a4"``, ``"a5"``) or a program and one of its top-level functions
(``"a3_adam"``, ``"a5_gradient_descent"``). A1's and A4's programs are TensorFlow code, which the course does not
install: their text can be read, not loaded (4.1 runs a line-by-line PyTorch translation).
"""

from __future__ import annotations

import ast
import types
from dataclasses import dataclass

__all__ = ["PROGRAMS", "Program", "keys", "load", "source"]


@dataclass(frozen=True)
class Program:
    """One source article's program: where it is printed, what it runs on, and its text."""

    article: str  # "A1" … "A5"
    section: str  # where in the article, e.g. "§4"
    framework: str  # "numpy" (runs here) or "tensorflow" (read only)
    text: str

    @property
    def runnable(self) -> bool:
        return self.framework == "numpy"


_A1 = '''\
import tensorflow as tf
import numpy as np

# 生成数据
np.random.seed(1)
X = np.random.randn(100, 1)
y = 3 * X + 2 + np.random.randn(100, 1) * 0.5

# 定义模型
class LinearRegression(tf.keras.Model):
    def __init__(self):
        super(LinearRegression, self).__init__()
        self.dense = tf.keras.layers.Dense(1, input_shape=(1,))

    def call(self, x):
        return self.dense(x)

# 定义优化器
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)

# 初始化模型
model = LinearRegression()

# 训练模型
for i in range(1000):
    with tf.GradientTape() as tape:
        y_pred = model(X)
        loss = tf.reduce_mean((y_pred - y) ** 2)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))

# 评估模型
loss_value = model(X).numpy()
print("Loss:", loss_value)
'''

_A3 = '''\
import numpy as np
import matplotlib.pyplot as plt

# 生成线性回归数据
np.random.seed(1)
X = np.linspace(-3, 3, 100)
Y = 2 * X + np.random.randn(100)

# 初始化模型参数
theta = np.random.randn(1, 1)

# 定义梯度下降函数
def gradient_descent(X, Y, theta, alpha, iterations):
    m = len(X)
    for _ in range(iterations):
        theta = theta - alpha * (X.T @ (X @ theta - Y)) / m
    return theta

# 定义动量法函数
def momentum(X, Y, theta, alpha, beta, iterations):
    m = len(X)
    theta_prev = np.zeros_like(theta)
    for _ in range(iterations):
        theta = theta - alpha * (X.T @ (X @ theta - Y)) / m + beta * (theta - theta_prev)
        theta_prev = theta.copy()
    return theta

# 定义Adam算法函数
def adam(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
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

# 训练模型
theta_gd = gradient_descent(X, Y, theta, 0.01, 1000)
theta_momentum = momentum(X, Y, theta, 0.01, 0.9, 1000)
theta_adam = adam(X, Y, theta, 0.01, 0.9, 0.999, 1e-7, 1000)

# 绘制结果
plt.scatter(X, Y, color='k', label='data')
plt.plot(X, X @ theta_gd, color='r', label='GD')
plt.plot(X, X @ theta_momentum, color='g', label='Momentum')
plt.plot(X, X @ theta_adam, color='b', label='Adam')
plt.legend()
plt.show()
'''

_A4 = '''\
import tensorflow as tf
import numpy as np

# 生成数据
X = np.random.rand(100, 10)
y = np.dot(X, np.random.rand(10, 1))

# 定义模型
class MLP(tf.keras.Model):
    def __init__(self):
        super(MLP, self).__init__()
        self.d1 = tf.keras.layers.Dense(10, activation='relu')
        self.d2 = tf.keras.layers.Dense(1)

    def call(self, x):
        x = self.d1(x)
        x = self.d2(x)
        return x

# 初始化模型
model = MLP()

# 定义损失函数和优化器
loss_fn = tf.keras.losses.MeanSquaredError()
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)

# 训练模型
for epoch in range(1000):
    with tf.GradientTape() as tape:
        y_pred = model(X)
        loss = loss_fn(y, y_pred)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    if epoch % 100 == 0:
        print(f'Epoch {epoch}, Loss: {loss.numpy()}')
'''

_A5 = '''\
import numpy as np

# 定义激活函数
def sigmoid(x):
    return 1 / (1 + np.exp(-x))

# 定义激活函数的导数
def sigmoid_derivative(x):
    return x * (1 - x)

# 定义损失函数
def loss_function(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)

# 定义梯度下降法
def gradient_descent(X, y, learning_rate, num_epochs):
    m, n = X.shape
    theta = np.zeros(n)
    y_pred = np.zeros(m)
    for epoch in range(num_epochs):
        for i in range(m):
            y_pred = np.dot(X, theta)
            y_pred = sigmoid(y_pred)
            loss = loss_function(y[i], y_pred)
            gradient = np.dot(X.T, (2 * (y[i] - y_pred)))
            theta -= learning_rate * gradient
    return theta

# 训练数据
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])

# 训练参数
learning_rate = 0.01
num_epochs = 1000

# 训练模型
theta = gradient_descent(X, y, learning_rate, num_epochs)

print("训练好的模型参数：", theta)
'''

PROGRAMS: dict[str, Program] = {
    "a1": Program("A1", "§4", "tensorflow", _A1),  # Adam on a linear regression
    "a3": Program("A3", "§4", "numpy", _A3),  # gradient descent, momentum and Adam on a linear regression
    "a4": Program("A4", "§4", "tensorflow", _A4),  # a small MLP trained with SGD
    "a5": Program("A5", "§4", "numpy", _A5),  # XOR with "gradient descent"
}


def _functions(program: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(PROGRAMS[program].text)
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def keys() -> list[str]:
    """Every key :func:`source` accepts: the programs, then ``<program>_<function>`` for each top-level function."""
    out = list(PROGRAMS)
    for program in PROGRAMS:
        out += [f"{program}_{name}" for name in _functions(program)]
    return out


def _split(key: str) -> tuple[str, str | None]:
    """(program, function name or None) for a key; a message listing the keys if it names nothing."""
    if not isinstance(key, str):
        raise TypeError(f"key must be a string such as 'a3' or 'a3_adam', got {key!r}")
    if key in PROGRAMS:
        return key, None
    program, _, function = key.partition("_")
    if program in PROGRAMS and function in _functions(program):
        return program, function
    raise KeyError(f"no source program or function {key!r}; the keys are: {', '.join(keys())}")


def _lines(program: str, node: ast.stmt) -> str:
    lines = PROGRAMS[program].text.splitlines()
    return "\n".join(lines[node.lineno - 1 : node.end_lineno]) + "\n"


def source(key: str) -> str:
    """The text of a program (``"a3"``) or of one of its functions (``"a3_adam"``), exactly as printed."""
    program, function = _split(key)
    if function is None:
        return PROGRAMS[program].text
    return _lines(program, _functions(program)[function])


def _names_bound(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def load(key: str, *, through: str | None = None) -> types.SimpleNamespace:
    """Run a program's text (or the text of one function, after the program's imports) and return its names.

    ``load("a3")`` runs A3's whole program — which raises numpy's ``ValueError`` at its first matrix product, as
    printed. ``through="adam"`` stops after the top-level statement that defines or assigns ``adam``: the data,
    the starting point and the three functions, without the training. ``load("a3_adam")`` defines only ``adam``
    (with ``np`` imported as the program imports it).
    """
    program, function = _split(key)
    entry = PROGRAMS[program]
    if not entry.runnable:
        raise RuntimeError(
            f"documents.load({key!r}): {entry.article}'s program is {entry.framework} code, which this course does "
            f"not install. Read it with documents.source({key!r}); 4.1 runs a line-by-line PyTorch translation."
        )
    body = ast.parse(entry.text).body
    imports = [node for node in body if isinstance(node, ast.Import | ast.ImportFrom)]
    if function is not None:
        if through is not None:
            raise ValueError(f"through= applies to a whole program, not to the function {key!r}; use load({program!r}, "
                             f"through={through!r})")
        chosen = [*imports, _functions(program)[function]]
    elif through is None:
        chosen = body
    else:
        ends = [i for i, node in enumerate(body) if through in _names_bound(node)]
        if not ends:
            bound = sorted(set().union(*(_names_bound(node) for node in body)))
            raise ValueError(f"through={through!r}: {entry.article}'s program defines no such name; it defines "
                             f"{', '.join(bound)}")
        chosen = body[: ends[0] + 1]
    namespace: dict[str, object] = {"__name__": f"gradcourse.documents.{key}"}
    code = "".join(_lines(program, node) for node in chosen)
    exec(compile(code, f"<{entry.article} {entry.section}: {key}>", "exec"), namespace)  # noqa: S102 (the point)
    namespace.pop("__builtins__", None)
    return types.SimpleNamespace(**namespace)
