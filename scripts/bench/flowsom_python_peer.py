#!/usr/bin/env python3
"""FlowSOM_Python (saeyslab/FlowSOM_Python) as a timed peer for `cytolake bench --only cluster-fcs`.

Usage: flowsom_python_peer.py FLOWSOM_SRC EVENTS_F64 DIMS [--xdim 10 --ydim 10 --rlen 10 --k 10
                                                          --seed 1 --repeats 3]

FLOWSOM_SRC is FlowSOM_Python's source tree (the directory holding src/flowsom, or src itself);
EVENTS_F64 the events to cluster, float64 little-endian, events x DIMS row-major (cytolake writes
the same values that cluster-fcs clusters). Prints one JSON object on stdout.

Only flowsom.models is loaded: the package's own __init__ also imports flowsom.io/pl/pp/tl, which
need anndata, readfcs, scanpy and matplotlib (not packaged by Debian). So the runner registers an
empty `flowsom` package whose __path__ is the source directory and imports flowsom.models from it;
no FlowSOM_Python code is changed or copied. Timed: FlowSOMEstimator(SOMEstimator +
ConsensusCluster).fit_predict(X): SOM training, mapping of every event, consensus metaclustering
of the codes, labels of every event, as FlowSOM_Python's flowsom_clustering runs them. A warm-up
fit on the first 10,000 events compiles numba's jitted functions first (reported apart).
"""

import argparse
import json
import os
import sys
import time
import types

T_START = time.perf_counter()


def load_models(src):
    pkg_dir = os.path.join(src, "src", "flowsom")
    if not os.path.isdir(pkg_dir):
        pkg_dir = os.path.join(src, "flowsom")
    if not os.path.isfile(os.path.join(pkg_dir, "models", "_som.py")):
        raise SystemExit(f"Cannot load FlowSOM_Python from '{src}': no flowsom/models/_som.py under it")
    pkg = types.ModuleType("flowsom")
    pkg.__path__ = [pkg_dir]
    sys.modules["flowsom"] = pkg
    import flowsom.models as models  # noqa: E402

    return models, pkg_dir


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("events")
    ap.add_argument("dims", type=int)
    ap.add_argument("--xdim", type=int, default=10)
    ap.add_argument("--ydim", type=int, default=10)
    ap.add_argument("--rlen", type=int, default=10)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()

    import numpy as np

    t0 = time.perf_counter()
    models, pkg_dir = load_models(a.src)
    import_s = time.perf_counter() - t0
    X = np.fromfile(a.events, dtype="<f8").reshape(-1, a.dims)

    def estimator():
        return models.FlowSOMEstimator(
            xdim=a.xdim, ydim=a.ydim, rlen=a.rlen, n_clusters=a.k, seed=a.seed
        )

    t0 = time.perf_counter()
    estimator().fit_predict(X[: min(10_000, len(X))])
    warmup_s = time.perf_counter() - t0
    runs = []
    labels = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        labels = estimator().fit_predict(X)
        runs.append(time.perf_counter() - t0)
    import numba

    print(
        json.dumps(
            {
                "events": int(X.shape[0]),
                "dims": int(X.shape[1]),
                "fit_predict_seconds": runs,
                "fit_predict_seconds_median": float(np.median(runs)),
                "jit_warmup_seconds": warmup_s,
                "import_seconds": import_s,
                "process_seconds_before_exit": time.perf_counter() - T_START,
                "metaclusters_found": int(len(np.unique(labels))),
                "flowsom_dir": pkg_dir,
                "numpy": np.__version__,
                "numba": numba.__version__,
                "numba_threads": int(numba.config.NUMBA_NUM_THREADS),
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
