"""The Python sides of the comparison: the course network as a notebook would write it
(plain Python floats), with NumPy (per sample, full batch, vectorized across runs) and with
PyTorch (autograd, float64), and the general 8-64-64-1 network with NumPy and PyTorch.

Every function returns (epoch_losses, final_params) so compare.py can check it against
nnlab before its time is reported. The course arithmetic follows the course's equations:

    z1 = x1*w1 + x2*w3 + b1   a1 = relu(z1)
    z2 = x1*w2 + x2*w4 + b2   a2 = relu(z2)
    z3 = a1*w5 + a2*w6 + b3   y_hat = relu(z3)     loss = (y_hat - y)^2
    dl_dz3 = 2*(y_hat - y)*relu'(z3)   dl_dz1 = dl_dz3*w5*relu'(z1)   dl_dz2 = dl_dz3*w6*relu'(z2)
"""

import numpy as np


# ---------------------------------------------------------------- plain Python (notebook way)
def py_sgd(x1, x2, y, p, lr, epochs):
    """Per-sample SGD, one Python float at a time, in the course's operation order."""
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    losses = []
    n = len(y)
    for _ in range(epochs):
        s = 0.0
        for i in range(n):
            xa, xb, t = x1[i], x2[i], y[i]
            z1 = xa * w1 + xb * w3 + b1
            z2 = xa * w2 + xb * w4 + b2
            a1 = z1 if (z1 > 0.0 or z1 != z1) else 0.0
            a2 = z2 if (z2 > 0.0 or z2 != z2) else 0.0
            z3 = a1 * w5 + a2 * w6 + b3
            yh = z3 if (z3 > 0.0 or z3 != z3) else 0.0
            d = yh - t
            s += d * d
            g3 = 2.0 * d * (1.0 if z3 > 0.0 else 0.0)
            g1 = g3 * w5 * (1.0 if z1 > 0.0 else 0.0)
            g2 = g3 * w6 * (1.0 if z2 > 0.0 else 0.0)
            w1, w2, w3, w4, w5, w6 = (w1 - lr * (g1 * xa), w2 - lr * (g2 * xa),
                                      w3 - lr * (g1 * xb), w4 - lr * (g2 * xb),
                                      w5 - lr * (g3 * a1), w6 - lr * (g3 * a2))
            b1, b2, b3 = b1 - lr * g1, b2 - lr * g2, b3 - lr * g3
        losses.append(s / n)
    return losses, [w1, w2, w3, w4, w5, w6, b1, b2, b3]


def py_full_batch(x1, x2, y, p, lr, epochs):
    """Full-batch gradient descent in plain Python: sums in row order, then scaled by 1/n."""
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    losses = []
    n = len(y)
    for _ in range(epochs):
        s = 0.0
        g = [0.0] * 9
        for i in range(n):
            xa, xb, t = x1[i], x2[i], y[i]
            z1 = xa * w1 + xb * w3 + b1
            z2 = xa * w2 + xb * w4 + b2
            a1 = z1 if (z1 > 0.0 or z1 != z1) else 0.0
            a2 = z2 if (z2 > 0.0 or z2 != z2) else 0.0
            z3 = a1 * w5 + a2 * w6 + b3
            yh = z3 if (z3 > 0.0 or z3 != z3) else 0.0
            d = yh - t
            s += d * d
            g3 = 2.0 * d * (1.0 if z3 > 0.0 else 0.0)
            g1 = g3 * w5 * (1.0 if z1 > 0.0 else 0.0)
            g2 = g3 * w6 * (1.0 if z2 > 0.0 else 0.0)
            for k, v in enumerate((g1 * xa, g2 * xa, g1 * xb, g2 * xb, g3 * a1, g3 * a2, g1, g2, g3)):
                g[k] += v
        k = 1.0 / n
        w1, w2, w3, w4, w5, w6, b1, b2, b3 = [
            q - lr * (gq * k) for q, gq in zip((w1, w2, w3, w4, w5, w6, b1, b2, b3), g)]
        losses.append(s / n)
    return losses, [w1, w2, w3, w4, w5, w6, b1, b2, b3]


# ---------------------------------------------------------------- NumPy, course network
def course_mats(p):
    """W1 = [[w1, w3], [w2, w4]] (rows = hidden neurons), b1 = [b1, b2], W2 = [w5, w6], b3."""
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    return np.array([[w1, w3], [w2, w4]]), np.array([b1, b2]), np.array([w5, w6]), b3


def mats_params(W1, c1, W2, c2):
    return [W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1], W2[0], W2[1], c1[0], c1[1], float(c2)]


def np_sgd(X, y, p, lr, epochs):
    """Per-sample SGD with NumPy arrays for the layers (a typical notebook's vectorized form)."""
    W1, c1, W2, c2 = course_mats(p)
    losses = []
    n = len(y)
    for _ in range(epochs):
        s = 0.0
        for i in range(n):
            x = X[i]
            z = W1 @ x + c1
            a = np.maximum(z, 0.0)
            z3 = W2 @ a + c2
            d = max(z3, 0.0) - y[i]
            s += d * d
            g3 = 2.0 * d * (z3 > 0.0)
            gz = g3 * W2 * (z > 0.0)
            W1 -= lr * np.outer(gz, x)
            c1 -= lr * gz
            W2 -= lr * (g3 * a)
            c2 -= lr * g3
        losses.append(s / n)
    return losses, mats_params(W1, c1, W2, c2)


def np_full_batch(X, y, p, lr, epochs):
    """Full-batch gradient descent with NumPy matrix products (mean gradient, one update)."""
    W1, c1, W2, c2 = course_mats(p)
    losses = []
    n = len(y)
    for _ in range(epochs):
        Z = X @ W1.T + c1
        A = np.maximum(Z, 0.0)
        z3 = A @ W2 + c2
        d = np.maximum(z3, 0.0) - y
        losses.append(float(np.dot(d, d)) / n)
        g3 = 2.0 * d * (z3 > 0.0)
        GZ = g3[:, None] * W2 * (Z > 0.0)
        W1 -= lr * ((GZ.T @ X) / n)
        c1 -= lr * (GZ.sum(axis=0) / n)
        W2 -= lr * ((A.T @ g3) / n)
        c2 -= lr * (g3.sum() / n)
    return losses, mats_params(W1, c1, W2, c2)


def np_sweep(x1, x2, y, P, lrs, epochs):
    """Every run of a sweep at once: each parameter is a vector with one entry per run, and
    each sample-step is the course's scalar arithmetic applied element-wise (so each run
    gets the bits of the scalar loop). Returns the last epoch's mean loss of every run."""
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = [P[:, k].copy() for k in range(9)]
    n = len(y)
    last = None
    for _ in range(epochs):
        s = np.zeros(len(lrs))
        for i in range(n):
            xa, xb, t = x1[i], x2[i], y[i]
            z1 = xa * w1 + xb * w3 + b1
            z2 = xa * w2 + xb * w4 + b2
            a1 = np.where((z1 > 0.0) | np.isnan(z1), z1, 0.0)
            a2 = np.where((z2 > 0.0) | np.isnan(z2), z2, 0.0)
            z3 = a1 * w5 + a2 * w6 + b3
            d = np.where((z3 > 0.0) | np.isnan(z3), z3, 0.0) - t
            s += d * d
            g3 = 2.0 * d * np.where(z3 > 0.0, 1.0, 0.0)
            g1 = g3 * w5 * np.where(z1 > 0.0, 1.0, 0.0)
            g2 = g3 * w6 * np.where(z2 > 0.0, 1.0, 0.0)
            w1, w2, w3, w4, w5, w6 = (w1 - lrs * (g1 * xa), w2 - lrs * (g2 * xa),
                                      w3 - lrs * (g1 * xb), w4 - lrs * (g2 * xb),
                                      w5 - lrs * (g3 * a1), w6 - lrs * (g3 * a2))
            b1, b2, b3 = b1 - lrs * g1, b2 - lrs * g2, b3 - lrs * g3
        last = s / n
    return last


# ---------------------------------------------------------------- general network
ADAM = (0.9, 0.999, 1e-7)  # nnlab_train::DEFAULT_ADAM


def np_general(X, y, layers, lr, batch, epochs):
    """ReLU MLP with identity output, squared error, mini-batches in row order, Adam with
    nnlab's update: m_hat = m/(1-b1^t), v_hat = v/(1-b2^t), p -= lr*m_hat/(sqrt(v_hat)+eps)."""
    Ws = [np.array(l["w"]) for l in layers]
    bs = [np.array(l["b"]) for l in layers]
    params = [q for pair in zip(Ws, bs) for q in pair]
    m = [np.zeros_like(q) for q in params]
    v = [np.zeros_like(q) for q in params]
    b1, b2, eps = ADAM
    n = len(y)
    t = 0
    losses = []
    for _ in range(epochs):
        s = 0.0
        for start in range(0, n, batch):
            xb, yb = X[start:start + batch], y[start:start + batch]
            acts, zs = [xb], []
            for k, (W, c) in enumerate(zip(Ws, bs)):
                z = acts[-1] @ W.T + c
                zs.append(z)
                acts.append(np.maximum(z, 0.0) if k < len(Ws) - 1 else z)
            d = acts[-1][:, 0] - yb
            s += float(np.dot(d, d))
            g = (2.0 * d)[:, None]
            grads = []
            for k in range(len(Ws) - 1, -1, -1):
                grads.append((g.sum(axis=0) / len(yb)))
                grads.append((g.T @ acts[k]) / len(yb))
                if k > 0:
                    g = (g @ Ws[k]) * (zs[k - 1] > 0.0)
            grads = grads[::-1]  # W0, b0, W1, b1, ...
            t += 1
            c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
            for q, gq, mq, vq in zip(params, grads, m, v):
                mq *= b1
                mq += (1.0 - b1) * gq
                vq *= b2
                vq += (1.0 - b2) * (gq * gq)
                q -= lr * (mq / c1) / (np.sqrt(vq / c2) + eps)
        losses.append(s / n)
    return losses, np.concatenate([np.concatenate([W.ravel(), c]) for W, c in zip(Ws, bs)])
