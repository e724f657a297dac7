"""The bands Keras 3 itself produces for lessons 6 and 8: the course's own code, run several
times with Keras' seeds (keras.utils.set_random_seed(run)), shuffled as fit does by default.

    KERAS_BACKEND=jax build/venv/parity/bin/python parity/bands.py [RUNS] [OUT.json]
    (make parity-bands)

Each experiment runs in two arithmetics:
  jax: Keras 3 on JAX as a student gets it: cross-entropy of the softmax probabilities,
       clipped to [1e-7, 1 - 1e-7] (Keras' JAX and torch backends).
  tf:  the arithmetic of Keras' TensorFlow backend (and of the course's Keras 2, whose rate-1
       loss of 8.2e11 is impossible with clipping), which nn follows: the cross-entropy from the
       logits. Run here as a linear last layer with from_logits=True.

The data are the course's CSV (datasets/data/titanic_all_numeric.csv).
"""

import csv
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def titanic():
    with open(os.path.join(ROOT, "datasets", "data", "titanic_all_numeric.csv")) as f:
        rows = list(csv.reader(f))
    header = rows[0]
    data = np.array([[float(v == "True") if v in ("True", "False") else float(v) for v in r] for r in rows[1:]])
    yi = header.index("survived")
    return np.delete(data, yi, axis=1).astype("float32"), keras.utils.to_categorical(data[:, yi].astype(int), 2)


def model(hidden, mode, n_cols=10):
    layers = [keras.Input(shape=(n_cols,))]
    layers += [keras.layers.Dense(u, activation="relu") for u in hidden]
    layers.append(keras.layers.Dense(2, activation="linear" if mode == "tf" else "softmax"))
    return keras.Sequential(layers)


def loss_and_metrics(mode):
    if mode == "tf":
        return keras.losses.CategoricalCrossentropy(from_logits=True), [keras.metrics.CategoricalAccuracy(name="accuracy")]
    return "categorical_crossentropy", ["accuracy"]


def band(values):
    v = [x for x in values if np.isfinite(x)]
    return {"min": min(v) if v else None, "max": max(v) if v else None,
            "median": float(np.median(v)) if v else None, "nonfinite": len(values) - len(v), "values": values}


def lesson6(x, y, runs, mode):
    """The course: for lr in [.000001, 0.01, 1]: get_new_model(); compile(SGD(lr=lr), categorical_crossentropy); fit."""
    out = {}
    for lr in [0.000001, 0.01, 1.0]:
        first, last = [], []
        for run in range(runs):
            keras.utils.set_random_seed(run)
            m = model([100, 100], mode)
            loss, _ = loss_and_metrics(mode)
            m.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss=loss)
            # The course's Keras 2.0 trained 10 epochs by default (its logs print Epoch 1/10);
            # Keras 3's default is 1, so epochs=10 is written out.
            h = m.fit(x, y, epochs=10, verbose=0).history["loss"]
            first.append(float(h[0]))
            last.append(float(h[-1]))
        out[f"lr {lr:g}"] = {"epoch 1 loss": band(first), "epoch 10 loss": band(last)}
    return out


def lesson8(x, y, runs, mode, pairs):
    """The course: two models, adam, categorical_crossentropy, accuracy, fit(epochs=15,
    validation_split=split, callbacks=[EarlyStopping(patience=2)])."""
    out = {}
    for name, a, b, split in pairs:
        best = {str(a): [], str(b): []}
        epochs = {str(a): [], str(b): []}
        wins = 0
        for run in range(runs):
            res = {}
            for hidden in (a, b):
                keras.utils.set_random_seed(run)
                m = model(hidden, mode)
                loss, metrics = loss_and_metrics(mode)
                m.compile(optimizer="adam", loss=loss, metrics=metrics)
                h = m.fit(x, y, epochs=15, validation_split=split, verbose=0,
                          callbacks=[keras.callbacks.EarlyStopping(patience=2)]).history
                res[str(hidden)] = min(h["val_loss"])
                best[str(hidden)].append(float(min(h["val_loss"])))
                epochs[str(hidden)].append(len(h["val_loss"]))
            wins += res[str(b)] < res[str(a)]
        out[name] = {"best val_loss " + k: band(v) for k, v in best.items()}
        out[name].update({"epochs " + k: band(v) for k, v in epochs.items()})
        out[name][f"runs where {b} has the lower best val_loss"] = f"{wins} of {runs}"
    return out


def old_lr_argument():
    """The course writes SGD(lr=lr) (Keras 2). What Keras 3 does with it."""
    try:
        keras.optimizers.SGD(lr=0.000001)
        return "accepted"
    except Exception as e:  # noqa: BLE001 - the message is the finding
        return f"{type(e).__name__}: {e}"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    out_path = sys.argv[2] if len(sys.argv) > 2 else None
    x, y = titanic()
    result = {"keras": keras.__version__, "backend": keras.backend.backend(), "runs": runs,
              "SGD(lr=...) in Keras 3": old_lr_argument()}
    pairs = [("lesson 8 deeper: 50-2 vs 50-50-50-2, validation_split 0.4", [50], [50, 50, 50], 0.4),
             ("lesson 8 wider: 10-10-2 vs 100-100-2, validation_split 0.2", [10, 10], [100, 100], 0.2)]
    for mode in ("jax", "tf"):
        result[mode] = {"lesson 6": lesson6(x, y, runs, mode), "lesson 8": lesson8(x, y, runs, mode, pairs)}
    text = json.dumps(result, indent=1)
    if out_path:
        with open(out_path + ".tmp", "w") as f:
            f.write(text)
        os.replace(out_path + ".tmp", out_path)
    # A summary table.
    print(f"Keras {result['keras']} ({result['backend']}), {runs} runs each, seeds 0..{runs - 1}")
    print(f"SGD(lr=...) in Keras 3: {result['SGD(lr=...) in Keras 3']}")
    for mode in ("jax", "tf"):
        print(f"== {mode}: " + ("probabilities clipped at 1e-7 (Keras 3 on JAX/torch)" if mode == "jax"
                                 else "from the logits (Keras' TensorFlow backend, the course's Keras, nn)"))
        for lesson, exps in result[mode].items():
            for exp, stats in exps.items():
                if exp.startswith(lesson):
                    exp = exp[len(lesson):].lstrip(" ")
                for k, v in stats.items():
                    if isinstance(v, dict):
                        nf = f", {v['nonfinite']} non-finite" if v["nonfinite"] else ""
                        print(f"  {lesson} {exp}: {k}: {v['min']:.4g} .. {v['max']:.4g} (median {v['median']:.4g}{nf})"
                              if v["min"] is not None else f"  {lesson} {exp}: {k}: all non-finite")
                    else:
                        print(f"  {lesson} {exp}: {k}: {v}")


if __name__ == "__main__":
    main()
