"""The PyTorch sides (float64, CPU, autograd): the course network per sample and full
batch, and the general network with torch.optim.Adam. Same returns as pysides.py."""

import torch

from pysides import ADAM


def _course_tensors(p):
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    W1 = torch.tensor([[w1, w3], [w2, w4]], dtype=torch.float64, requires_grad=True)
    c1 = torch.tensor([b1, b2], dtype=torch.float64, requires_grad=True)
    W2 = torch.tensor([w5, w6], dtype=torch.float64, requires_grad=True)
    c2 = torch.tensor(b3, dtype=torch.float64, requires_grad=True)
    return [W1, c1, W2, c2]


def _course_params(ts):
    W1, c1, W2, c2 = [t.detach() for t in ts]
    return [W1[0, 0].item(), W1[1, 0].item(), W1[0, 1].item(), W1[1, 1].item(),
            W2[0].item(), W2[1].item(), c1[0].item(), c1[1].item(), c2.item()]


def torch_sgd(X, y, p, lr, epochs):
    """Per-sample SGD: forward, loss.backward(), p -= lr*grad, one row at a time."""
    ts = _course_tensors(p)
    W1, c1, W2, c2 = ts
    X = torch.from_numpy(X)
    y = torch.from_numpy(y)
    losses = []
    n = len(y)
    for _ in range(epochs):
        s = torch.zeros((), dtype=torch.float64)
        for i in range(n):
            a = torch.relu(W1 @ X[i] + c1)
            loss = (torch.relu(W2 @ a + c2) - y[i]) ** 2
            loss.backward()
            with torch.no_grad():
                s += loss
                for t in ts:
                    t -= lr * t.grad
                    t.grad = None
        losses.append(s.item() / n)
    return losses, _course_params(ts)


def torch_full_batch(X, y, p, lr, epochs):
    """Full-batch gradient descent: mean squared error over all rows, one update per epoch."""
    ts = _course_tensors(p)
    W1, c1, W2, c2 = ts
    X = torch.from_numpy(X)
    y = torch.from_numpy(y)
    losses = []
    for _ in range(epochs):
        a = torch.relu(X @ W1.T + c1)
        loss = ((torch.relu(a @ W2 + c2) - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            for t in ts:
                t -= lr * t.grad
                t.grad = None
        losses.append(loss.item())
    return losses, _course_params(ts)


def torch_general(X, y, layers, lr, batch, epochs):
    """ReLU MLP, identity output, mini-batches in row order, torch.optim.Adam (nnlab's betas
    and epsilon; torch adds epsilon after the bias-corrected square root too)."""
    params = []
    for l in layers:
        params.append(torch.tensor(l["w"], dtype=torch.float64, requires_grad=True))
        params.append(torch.tensor(l["b"], dtype=torch.float64, requires_grad=True))
    b1, b2, eps = ADAM
    opt = torch.optim.Adam(params, lr=lr, betas=(b1, b2), eps=eps)
    X = torch.from_numpy(X)
    y = torch.from_numpy(y)
    n = len(y)
    losses = []
    last = len(params) // 2 - 1
    for _ in range(epochs):
        s = torch.zeros((), dtype=torch.float64)
        for start in range(0, n, batch):
            a = X[start:start + batch]
            for k in range(last + 1):
                a = a @ params[2 * k].T + params[2 * k + 1]
                if k < last:
                    a = torch.relu(a)
            loss = ((a[:, 0] - y[start:start + batch]) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            s += loss.detach() * a.shape[0]
        losses.append(s.item() / n)
    return losses, torch.cat([p.detach().reshape(-1) for p in params]).numpy()
