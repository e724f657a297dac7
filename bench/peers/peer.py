#!/usr/bin/python3
"""The Python peers of bench/run.sh: the same MLP trained with hand-written
numpy, PyTorch, JAX (jit), Keras 3's fit or scikit-learn on the same data as
the Go builds.

    peer.py --impl numpy|torch|jax|keras|sklearn --task mnist|titanic --batch 32 \
            --data DIR_OR_FILE [--epochs N] [--threads T] [--name NAME]

Prints one line in mlpbench's format:
    RESULT impl=numpy task=mnist batch=32 epochs=1 train_s=... train_cpu_s=... predict_s=... accuracy=... isa=...
Only training (and, apart, prediction) is timed, not imports or loading. JAX
and Keras compile their steps first, untimed (each shape once, as a user's
second epoch would find them): the timings are of compiled code.
isa= names the instruction set the library reports using (OpenBLAS' core,
PyTorch's CPU capability; XLA compiles for the host CPU).
"""
import argparse
import gzip
import os
import resource
import sys
import time
import warnings

import numpy as np

F32 = np.float32


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def read_idx(path, dims):
    with gzip.open(path, "rb") as f:
        b = f.read()
    magic = int.from_bytes(b[0:4], "big")
    if magic != 0x0800 | dims:
        sys.exit(f"{path}: magic {magic:#x}, want {0x0800 | dims:#x}")
    shape = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(d, which):
    x = read_idx(os.path.join(d, f"{which}-images-idx3-ubyte.gz"), 3)
    y = read_idx(os.path.join(d, f"{which}-labels-idx1-ubyte.gz"), 1)
    return (x.reshape(len(x), -1).astype(F32) / F32(255)), y.astype(np.int64)


def load_raw(path):  # written by `mlpbench titanic-data`
    b = np.fromfile(path, dtype="<i4", count=2)
    n, f = int(b[0]), int(b[1])
    x = np.fromfile(path, dtype="<f4", count=n * f, offset=8).reshape(n, f)
    y = np.fromfile(path, dtype="<i4", count=n, offset=8 + 4 * n * f).astype(np.int64)
    return x.astype(F32), y


def glorot(rng, fan_in, fan_out):
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, size=(fan_in, fan_out)).astype(F32)


class NumpyMLP:
    """in -> hidden relu -> out softmax, float32, Keras 3's Adam or plain SGD,
    written with in-place operations as a careful numpy user would."""

    def __init__(self, n_in, hidden, out, opt, seed):
        rng = np.random.default_rng(seed)
        self.params = [glorot(rng, n_in, hidden), np.zeros(hidden, F32),
                       glorot(rng, hidden, out), np.zeros(out, F32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.opt, self.t = opt, 0
        self.lr = F32(0.001 if opt == "adam" else 0.01)

    def forward(self, x):
        w1, b1, w2, b2 = self.params
        h = x @ w1
        h += b1
        np.maximum(h, 0, out=h)
        o = h @ w2
        o += b2
        o -= o.max(axis=1, keepdims=True)
        np.exp(o, out=o)
        o /= o.sum(axis=1, keepdims=True)
        return h, o

    def step(self, x, y1h):
        w1, b1, w2, b2 = self.params
        h, o = self.forward(x)
        o -= y1h
        o *= F32(1.0 / len(x))
        grads = [None, None, h.T @ o, o.sum(axis=0)]
        dh = o @ w2.T
        dh *= h > 0
        grads[0] = x.T @ dh
        grads[1] = dh.sum(axis=0)
        self.t += 1
        if self.opt == "sgd":
            for p, g in zip(self.params, grads):
                g *= self.lr
                p -= g
            return
        b1_, b2_ = F32(0.9), F32(0.999)
        alpha = F32(self.lr * np.sqrt(1 - b2_ ** self.t) / (1 - b1_ ** self.t))
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (g - m) * F32(0.1)
            g *= g
            g -= v
            g *= F32(0.001)
            v += g
            s = np.sqrt(v)
            s += F32(1e-7)
            np.divide(m, s, out=s)
            s *= alpha
            p -= s


def run_numpy(x, y, xt, args, hidden, classes, opt):
    model = NumpyMLP(x.shape[1], hidden, classes, opt, 1)
    eye = np.eye(classes, dtype=F32)
    rng = np.random.default_rng(2)
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in range(args.epochs):
        perm = rng.permutation(len(x))
        for s in range(0, len(x), args.batch):
            idx = perm[s:s + args.batch]
            model.step(x[idx], eye[y[idx]])
    train, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t0 = time.perf_counter()
    _, p = model.forward(xt)
    return train, cpu, time.perf_counter() - t0, p.argmax(axis=1)


def run_torch(x, y, xt, args, hidden, classes, opt):
    import torch
    torch.set_num_threads(args.threads or 1)
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                                torch.nn.Linear(hidden, classes))
    if opt == "adam":
        optim = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    else:
        optim = torch.optim.SGD(model.parameters(), lr=0.01)
    lossf = torch.nn.CrossEntropyLoss()
    X, Y = torch.from_numpy(x), torch.from_numpy(y)
    g = torch.Generator().manual_seed(2)
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in range(args.epochs):
        perm = torch.randperm(len(X), generator=g)
        for s in range(0, len(X), args.batch):
            idx = perm[s:s + args.batch]
            optim.zero_grad(set_to_none=True)
            loss = lossf(model(X[idx]), Y[idx])
            loss.backward()
            optim.step()
    train, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t0 = time.perf_counter()
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(xt)), dim=1)
    return train, cpu, time.perf_counter() - t0, p.argmax(dim=1).numpy()


def run_sklearn(x, y, xt, args, hidden, classes, opt):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    kw = dict(hidden_layer_sizes=(hidden,), activation="relu", batch_size=args.batch,
              max_iter=args.epochs, shuffle=True, random_state=1, alpha=0.0, tol=0.0,
              n_iter_no_change=args.epochs + 1)
    if opt == "adam":
        kw.update(solver="adam", learning_rate_init=0.001, epsilon=1e-7)
    else:
        kw.update(solver="sgd", learning_rate_init=0.01, momentum=0.0, nesterovs_momentum=False)
    clf = MLPClassifier(**kw)
    t0, c0 = time.perf_counter(), cpu_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    train, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t0 = time.perf_counter()
    p = clf.predict_proba(xt)
    return train, cpu, time.perf_counter() - t0, p.argmax(axis=1)


def run_jax(x, y, xt, args, hidden, classes, opt):
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(1)
    params = [jnp.asarray(glorot(rng, x.shape[1], hidden)), jnp.zeros(hidden, F32),
              jnp.asarray(glorot(rng, hidden, classes)), jnp.zeros(classes, F32)]
    state = [jnp.zeros_like(p) for p in params] * 2  # Adam's m and v

    def logits(p, xb):
        h = jnp.maximum(xb @ p[0] + p[1], 0)
        return h @ p[2] + p[3]

    def loss(p, xb, yb):
        lp = jax.nn.log_softmax(logits(p, xb))
        return -jnp.mean(jnp.take_along_axis(lp, yb[:, None], axis=1))

    lr = F32(0.001 if opt == "adam" else 0.01)

    @jax.jit
    def step(p, st, t, xb, yb):
        g = jax.grad(loss)(p, xb, yb)
        if opt == "sgd":
            return [pi - lr * gi for pi, gi in zip(p, g)], st
        n = len(p)
        m = [mi + (gi - mi) * F32(0.1) for mi, gi in zip(st[:n], g)]
        v = [vi + (gi * gi - vi) * F32(0.001) for vi, gi in zip(st[n:], g)]
        alpha = lr * jnp.sqrt(1 - F32(0.999) ** t) / (1 - F32(0.9) ** t)
        p = [pi - mi * alpha / (jnp.sqrt(vi) + F32(1e-7)) for pi, mi, vi in zip(p, m, v)]
        return p, m + v

    predict = jax.jit(lambda p, xb: jax.nn.softmax(logits(p, xb)))
    # Compile each batch shape (full, and the last partial one) before timing.
    # Batches go in as numpy slices: indexing a device array outside jit
    # would dispatch a gather per step.
    for n in {args.batch, len(x) % args.batch} - {0}:
        jax.block_until_ready(step.lower(params, state, F32(1), x[:n], y[:n]).compile())
    jax.block_until_ready(predict(params, jnp.asarray(xt)))
    perms = np.random.default_rng(2)
    t = 0
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in range(args.epochs):
        perm = perms.permutation(len(x))
        for s in range(0, len(x), args.batch):
            idx = perm[s:s + args.batch]
            t += 1
            params, state = step(params, state, F32(t), x[idx], y[idx])
    jax.block_until_ready(params)
    train, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t0 = time.perf_counter()
    p = np.asarray(jax.block_until_ready(predict(params, jnp.asarray(xt))))
    return train, cpu, time.perf_counter() - t0, p.argmax(axis=1)


def run_keras(x, y, xt, args, hidden, classes, opt):
    # KERAS_BACKEND (jax, torch, tensorflow) is set by the caller before this import.
    import keras
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(classes, activation="softmax")])
    optim = keras.optimizers.Adam(0.001) if opt == "adam" else keras.optimizers.SGD(0.01)
    model.compile(optimizer=optim, loss="sparse_categorical_crossentropy")
    # Compile (trace) the train step for both batch shapes and predict, untimed.
    n = args.batch + len(x) % args.batch
    model.fit(x[:n], y[:n], batch_size=args.batch, epochs=1, shuffle=False, verbose=0)
    model.predict(xt, batch_size=len(xt), verbose=0)
    t0, c0 = time.perf_counter(), cpu_seconds()
    model.fit(x, y, batch_size=args.batch, epochs=args.epochs, shuffle=True, verbose=0)
    train, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t0 = time.perf_counter()
    p = model.predict(xt, batch_size=len(xt), verbose=0)
    return train, cpu, time.perf_counter() - t0, np.asarray(p).argmax(axis=1)


def isa(impl):
    """The instruction set the library says it uses, best effort."""
    parts = []
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                parts.append("openblas-" + str(pool.get("architecture", "?")))
                break
    except Exception:
        pass
    if impl == "torch" or os.environ.get("KERAS_BACKEND") == "torch" and impl == "keras":
        import torch
        cpu = getattr(torch.backends, "cpu", None)  # torch >= 2.0; Debian's 1.13 says it in its build config
        if cpu is not None:
            cap = cpu.get_cpu_capability()
        else:
            cap = next((line.split(":", 1)[1] for line in torch.__config__.show().splitlines()
                        if "CPU capability usage" in line), "?")
        parts.insert(0, "torch-" + cap.strip().lower())
    if impl == "jax" or os.environ.get("KERAS_BACKEND") == "jax" and impl == "keras":
        parts.insert(0, "xla-host")
    return "+".join(parts) or "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--impl", required=True, choices=["numpy", "torch", "jax", "keras", "sklearn"])
    ap.add_argument("--task", required=True, choices=["mnist", "titanic"])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=0)
    ap.add_argument("--data", required=True, help="MNIST idx directory, or the titanic-data file")
    ap.add_argument("--threads", type=int, default=0, help="BLAS/torch threads (0: the library's default; torch: 1)")
    ap.add_argument("--name", default="", help="impl name to print (default: --impl)")
    args = ap.parse_args()
    if args.task == "mnist":
        x, y = load_mnist(args.data, "train")
        xt, yt = load_mnist(args.data, "t10k")
        hidden, classes, opt = 128, 10, "adam"
        args.epochs = args.epochs or 1
    else:
        x, y = load_raw(args.data)
        xt, yt = x, y
        hidden, classes, opt = 32, 2, "sgd"
        args.epochs = args.epochs or 100
    run = {"numpy": run_numpy, "torch": run_torch, "jax": run_jax, "keras": run_keras,
           "sklearn": run_sklearn}[args.impl]
    if args.impl == "keras" and os.environ.get("KERAS_BACKEND") == "torch":
        # PyPI's torch with 2 threads spin-waits on these 2-core machines (torch2-2t): 1 thread.
        import torch
        torch.set_num_threads(args.threads or 1)
    if args.impl == "torch" or args.threads or os.environ.get("KERAS_BACKEND") == "torch":
        # torch.set_num_threads covers torch's own pool, not the OpenBLAS it
        # calls, whose threads would otherwise spin on the second core.
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads or 1)
    train, cpu, pred_s, pred = run(x, y, xt, args, hidden, classes, opt)
    acc = float((pred == yt).mean())
    print(f"RESULT impl={args.name or args.impl} task={args.task} batch={args.batch} epochs={args.epochs} "
          f"train_s={train:.4f} train_cpu_s={cpu:.4f} predict_s={pred_s:.4f} accuracy={acc:.4f} "
          f"isa={isa(args.impl)}", flush=True)


if __name__ == "__main__":
    main()
