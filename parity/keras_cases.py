"""Runs the parity suite's cases in Keras 3, the reference nn is compared with.

    KERAS_BACKEND=jax build/venv/parity/bin/python parity/keras_cases.py DIR

DIR holds the cases the Go test wrote (parity_test.go): for each case NAME a spec
NAME.spec.json and its data as raw little-endian float64 files (x, y). For each case
this script builds the Keras model the spec describes, seeded with
keras.utils.set_random_seed, writes its initial weights, trains it on the same rows
in the same order (shuffle=False), and writes NAME.keras.json:

    {"keras": "3.15.1", "backend": "jax",
     "initial": [[kernel rows, bias], ...],   # the weights nn starts from too
     "history": {"loss": [...], "accuracy": [...], ...},
     "stopped_epoch": 0, "best_epoch": 0,     # EarlyStopping's, when the spec has one
     "final": [[kernel rows, bias], ...], "predictions": [[...], ...]}

A spec whose "kind" is "initializer" instead asks for the statistics of one
initializer's draw for a (fan_in, fan_out) kernel: min, max, mean, std.

Every number is float32 arithmetic (Keras' default floatx), written as float64 so
that nothing is rounded on the way. Files are written to a temporary name and
renamed.
"""

import glob
import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import keras  # noqa: E402


def read_matrix(path, rows, cols):
    a = np.fromfile(path, dtype="<f8")
    if a.size != rows * cols:
        raise SystemExit(f"{path}: {a.size} numbers, want {rows}x{cols}")
    return a.reshape(rows, cols)


def optimizer(o):
    name = o["name"]
    o = {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in o.items()}
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=o["learning_rate"], momentum=o.get("momentum", 0.0),
                                    nesterov=o.get("nesterov", False))
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=o["learning_rate"], beta_1=o["beta_1"], beta_2=o["beta_2"],
                                     epsilon=o["epsilon"])
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=o["learning_rate"], rho=o["rho"],
                                        momentum=o.get("momentum", 0.0), epsilon=o["epsilon"])
    raise SystemExit(f"unknown optimizer {name!r}")


def weights(model):
    out = []
    for layer in model.layers:
        if not isinstance(layer, keras.layers.Dense):  # Dropout, Normalization
            continue
        k, b = layer.get_weights()
        out.append([k.astype(np.float64).tolist(), b.astype(np.float64).tolist()])
    return out


def clean(o):
    """Replaces NaN and infinities (a diverged run) by the strings "NaN", "+Inf", "-Inf": JSON has no such numbers."""
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (float, np.floating)):
        v = float(o)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "+Inf" if v > 0 else "-Inf"
        return v
    if isinstance(o, np.integer):
        return int(o)
    return o


def predict(model, x, batch_size, activation):
    p = model.predict(x, batch_size=batch_size, verbose=0)
    if activation:
        p = np.asarray(keras.activations.get(activation)(p), dtype="float32")
    return p.astype(np.float64).tolist()


def run_fit(spec, d):
    keras.utils.set_random_seed(spec["seed"])
    x = read_matrix(os.path.join(d, spec["x"]), spec["rows"], spec["cols"]).astype("float32")
    y = read_matrix(os.path.join(d, spec["y"]), spec["rows"], spec["ycols"])
    y = y[:, 0].astype("int32") if spec.get("sparse") else y.astype("float32")
    layers = [keras.Input(shape=(spec["cols"],))]
    if spec.get("normalize"):
        norm = keras.layers.Normalization()
        norm.adapt(x)
        layers.append(norm)
    out_act = spec["layers"][-1]["activation"]
    logits = spec.get("from_logits", False)
    reg = keras.regularizers.L2(spec["l2"]) if spec.get("l2") else None
    for i, l in enumerate(spec["layers"]):
        last = i == len(spec["layers"]) - 1
        act = "linear" if logits and last else l["activation"]
        layers.append(keras.layers.Dense(l["units"], activation=act, kernel_regularizer=reg))
        if spec.get("dropout") and not last:
            layers.append(keras.layers.Dropout(spec["dropout"]))
    model = keras.Sequential(layers)
    initial = weights(model)
    loss, metrics = spec["loss"], spec.get("metrics") or []
    if logits:
        # The TensorFlow backend's arithmetic: the cross-entropy of a softmax
        # (sigmoid) output is computed from its logits, unclipped. On JAX (and
        # torch) Keras clips the probabilities to [1e-7, 1 - 1e-7] instead;
        # nn does what the TensorFlow backend does. The output layer is linear
        # here and the loss takes logits, so the numbers are TensorFlow's.
        cls = {"categorical_crossentropy": (keras.losses.CategoricalCrossentropy, keras.metrics.CategoricalAccuracy, {}),
               "sparse_categorical_crossentropy": (keras.losses.SparseCategoricalCrossentropy, keras.metrics.SparseCategoricalAccuracy, {}),
               "binary_crossentropy": (keras.losses.BinaryCrossentropy, keras.metrics.BinaryAccuracy, {"threshold": 0.0})}[loss]
        loss = cls[0](from_logits=True)
        metrics = [cls[1](name="accuracy", **cls[2]) if m == "accuracy" else m for m in metrics]
    model.compile(optimizer=optimizer(spec["optimizer"]), loss=loss, metrics=metrics or None)
    if spec.get("kind") == "dropout":
        return run_dropout(spec, model, initial, x, y)
    callbacks = []
    es = spec.get("early_stopping")
    if es:
        stop = keras.callbacks.EarlyStopping(monitor=es.get("monitor", "val_loss"), patience=es["patience"],
                                             restore_best_weights=es.get("restore_best_weights", False))
        callbacks.append(stop)
    h = model.fit(x, y, epochs=spec["epochs"], batch_size=spec["batch_size"], shuffle=False,
                  validation_split=spec.get("validation_split", 0.0), callbacks=callbacks, verbose=0)
    result = {
        "keras": keras.__version__, "backend": keras.backend.backend(),
        "initial": initial,
        "history": {k: list(vs) for k, vs in h.history.items()},
        "final": weights(model),
        "predictions": predict(model, x, spec["batch_size"], out_act if logits else None),
    }
    if es:
        result["stopped_epoch"] = stop.stopped_epoch
        result["best_epoch"] = stop.best_epoch
    return result


def run_dropout(spec, model, initial, x, y):
    """A model with Dropout: predict and evaluate (Dropout passes everything through), and
    the training-mode loss on all of x, once per draw, each with new masks (the model is
    called with training=True, as fit's steps call it; nothing is trained)."""
    loss_fn = keras.losses.get(spec["loss"])
    draws = [float(keras.ops.mean(loss_fn(y, model(x, training=True)))) for _ in range(spec["draws"])]
    return {
        "keras": keras.__version__, "backend": keras.backend.backend(), "initial": initial,
        "predictions": predict(model, x, spec["batch_size"], None),
        "evaluate": float(model.evaluate(x, y, batch_size=spec["batch_size"], verbose=0)),
        "train_losses": draws,
    }


def run_initializer(spec):
    keras.utils.set_random_seed(spec["seed"])
    init = keras.initializers.get(spec["initializer"])
    w = np.asarray(init((spec["fan_in"], spec["fan_out"]), dtype="float32"), dtype=np.float64)
    return {"keras": keras.__version__, "min": w.min(), "max": w.max(), "mean": w.mean(), "std": w.std()}


def run_metrics(spec):
    """keras.metrics.AUC(), Precision() and Recall() with their defaults, each on its own
    (update_state once, then result(), in float32) on every pair of labels and predictions."""
    values = {"auc": [], "precision": [], "recall": []}
    for pair in spec["pairs"]:
        y = np.asarray(pair["y"], dtype="float32").reshape(-1, 1)
        p = np.asarray(pair["p"], dtype="float32").reshape(-1, 1)
        for name, cls in (("auc", keras.metrics.AUC), ("precision", keras.metrics.Precision),
                          ("recall", keras.metrics.Recall)):
            m = cls()
            m.update_state(y, p)
            values[name].append(float(m.result()))
    return {"keras": keras.__version__, "values": values}


def run_layout(spec, d):
    """model.summary() and fit's progress output (verbose 1 and 2) of the course's Titanic model."""
    import contextlib
    import io
    keras.utils.set_random_seed(spec["seed"])
    x = read_matrix(os.path.join(d, spec["x"]), spec["rows"], spec["cols"]).astype("float32")
    y = read_matrix(os.path.join(d, spec["y"]), spec["rows"], spec["ycols"]).astype("float32")
    layers = [keras.Input(shape=(spec["cols"],))]
    layers += [keras.layers.Dense(l["units"], activation=l["activation"]) for l in spec["layers"]]
    model = keras.Sequential(layers)
    model.compile(optimizer="sgd", loss=spec["loss"], metrics=spec.get("metrics") or None)
    lines = []
    model.summary(print_fn=lambda s, line_break=True: lines.append(s))
    out = {"keras": keras.__version__, "summary": "\n".join(lines) + "\n"}
    for v in (1, 2):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            model.fit(x, y, epochs=spec["epochs"], batch_size=spec["batch_size"], verbose=v,
                      validation_split=spec.get("validation_split", 0.0))
        out[f"verbose{v}"] = buf.getvalue()
    return out


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: keras_cases.py DIR (the directory of NAME.spec.json files)")
    d = sys.argv[1]
    specs = sorted(glob.glob(os.path.join(d, "*.spec.json")))
    if not specs:
        raise SystemExit(f"keras_cases.py: no *.spec.json in {d}")
    for path in specs:
        with open(path) as f:
            spec = json.load(f)
        name = os.path.basename(path)[: -len(".spec.json")]
        kind = spec.get("kind")
        if kind == "initializer":
            result = run_initializer(spec)
        elif kind == "layout":
            result = run_layout(spec, d)
        elif kind == "metrics":
            result = run_metrics(spec)
        else:
            result = run_fit(spec, d)
        out = os.path.join(d, name + ".keras.json")
        with open(out + ".tmp", "w") as f:
            json.dump(clean(result), f, allow_nan=False)
        os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
