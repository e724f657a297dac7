#!/usr/bin/python3
"""OpenBLAS's sgemm (through numpy) at nn's MNIST shapes, for comparison with
`go test -bench Sgemm ./internal/fastblas`: GFLOP/s by the wall clock and, for
one thread, by CPU time (steadier on a shared machine).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/gemm.py [threads]
"""
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rng = np.random.default_rng(1)
shapes = []
for b in (32, 128):
    shapes += [(f"fwd1/b={b}", False, b, 128, 784), (f"dW1/b={b}", True, 784, 128, b),
               (f"fwd2/b={b}", False, b, 10, 128), (f"dW2/b={b}", True, 128, 10, b)]
shapes.append(("predict/10000", False, 10000, 128, 784))
with threadpool_limits(threads):
    for name, trans, m, n, k in shapes:
        a = rng.uniform(-1, 1, (k, m) if trans else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        c = np.empty((m, n), np.float32)
        op = (lambda: np.matmul(a.T, b, out=c)) if trans else (lambda: np.matmul(a, b, out=c))
        op()
        reps = max(3, int(2e8 / (2 * m * n * k)))
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            op()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        flops = 2.0 * m * n * k * reps
        extra = f"  cpuGFLOP/s {flops / cpu / 1e9:7.2f}" if threads == 1 else ""
        print(f"openblas {threads}t {name:14s} GFLOP/s {flops / wall / 1e9:7.2f}{extra}")
