"""Moves models between Keras 3 and nn, in the parity environment.

nn cannot read or write HDF5 (model.weights.h5 inside a .keras file) without cgo, so the
exchange goes through this script, which Keras itself serves:

    py=$(bash scripts/setup-parity.sh)
    $py parity/exchange.py keras2nn model.keras model.json   # a Keras 3 .keras -> nn.Load's JSON
    $py parity/exchange.py nn2keras model.json model.keras   # nn.Save's JSON -> a .keras Keras loads

Only Sequential models of Dense layers move (activations linear, relu, leaky_relu, sigmoid,
tanh, softmax); anything else is an error that names it. ONNX is written in Go, by
nn/onnx's Save (no Python needed); predict-onnx below checks such files.

Several commands may follow one another on one command line (the parity test does, to start
Python once). For the tests there are also:
    predict-keras MODEL.keras X.f64 OUT.json, predict-onnx MODEL.onnx X.f64 OUT.json
    (predict-onnx runs onnx.checker's full check first)
    course-titanic OUT.keras   (the course's Titanic 32-2 model trained 10 epochs in Keras)
    bad-dropout OUT.keras      (a .keras with a Dropout layer, which nn cannot take)
X.f64 is raw little-endian float64, the model's number of inputs per row. Every output file
is written to a temporary name and renamed. On an error the message is printed and also
written to OUT.error; the exit status is 1 if any command failed.
"""

import csv
import json
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402

ACTIVATIONS = {"linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ExchangeError(Exception):
    pass


def write_atomic(path, data, mode="w"):
    with open(path + ".tmp", mode) as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def keras():
    import keras as k
    return k


def keras2nn(src, dst):
    k = keras()
    if not zipfile.is_zipfile(src):
        raise ExchangeError(f"{src} is not a .keras file (a zip of config.json and model.weights.h5): save it with model.save('name.keras')")
    try:
        model = k.saving.load_model(src, compile=False)
    except Exception as e:  # noqa: BLE001 - Keras' own message says what is wrong
        raise ExchangeError(f"Keras cannot load {src}: {e}") from e
    if not isinstance(model, k.Sequential):
        raise ExchangeError(f"{src} holds a {type(model).__name__} model: nn takes Sequential models only")
    layers = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind != "Dense":
            raise ExchangeError(f"{src}: layer {layer.name!r} is a {kind}: nn has Dense layers only (remove it, or keep the model in Keras)")
        act = layer.get_config()["activation"]
        if not isinstance(act, str) or act not in ACTIVATIONS:
            raise ExchangeError(f"{src}: layer {layer.name!r} has activation {act!r}: nn has {', '.join(sorted(ACTIVATIONS))}")
        w = layer.get_weights()
        kernel = w[0].astype(np.float64)
        bias = w[1].astype(np.float64) if layer.use_bias else np.zeros(kernel.shape[1])
        layers.append({"name": layer.name, "units": int(kernel.shape[1]), "activation": act,
                       "input_dim": int(kernel.shape[0]), "freeze_bias": not layer.use_bias, "frozen": not layer.trainable,
                       "kernel": kernel.tolist(), "bias": bias.tolist()})
    if not layers:
        raise ExchangeError(f"{src}: the model has no layers")
    dtype = "float64" if model.layers[0].dtype == "float64" else "float32"
    out = {"format": "dlnb-nn-sequential", "version": 1, "name": model.name, "seed": 0, "dtype": dtype, "layers": layers}
    write_atomic(dst, json.dumps(out))


def read_nn(src):
    try:
        with open(src) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise ExchangeError(f"cannot read {src} as nn's JSON (nn.Save): {e}") from e
    if not isinstance(m, dict) or m.get("format") != "dlnb-nn-sequential":
        raise ExchangeError(f"{src} is not a model file written by nn.Save (format is not dlnb-nn-sequential)")
    if m.get("version") != 1:
        raise ExchangeError(f"{src}: version {m.get('version')}, this script reads version 1")
    for i, l in enumerate(m.get("layers") or []):
        act = l.get("activation") or "linear"
        if act not in ACTIVATIONS:
            raise ExchangeError(f"{src}: layer {i} has activation {act!r}: known are {', '.join(sorted(ACTIVATIONS))}")
    if not m.get("layers"):
        raise ExchangeError(f"{src}: the model has no layers")
    return m


def nn2keras(src, dst):
    k = keras()
    m = read_nn(src)
    layers = [k.Input(shape=(len(m["layers"][0]["kernel"]),))]
    for l in m["layers"]:
        layers.append(k.layers.Dense(l["units"], activation=l["activation"] or "linear", name=l["name"]))
    model = k.Sequential(layers, name=m.get("name") or "sequential")
    model.set_weights([np.array(a, dtype="float32") for l in m["layers"] for a in (l["kernel"], l["bias"])])
    tmp = dst + ".tmp.keras"
    model.save(tmp)
    os.replace(tmp, dst)


def read_x(path, cols):
    a = np.fromfile(path, dtype="<f8")
    if a.size % cols:
        raise ExchangeError(f"{path}: {a.size} numbers is not a whole number of rows of {cols}")
    return a.reshape(-1, cols).astype(np.float32)


def predict_keras(model_path, x_path, dst):
    k = keras()
    model = k.saving.load_model(model_path, compile=False)
    x = read_x(x_path, model.layers[0].get_weights()[0].shape[0])
    write_atomic(dst, json.dumps(model.predict(x, verbose=0).astype(np.float64).tolist()))


def predict_onnx(model_path, x_path, dst):
    """onnx.checker's full check (with shape inference), then onnxruntime's predictions."""
    import onnx
    import onnxruntime as ort
    try:
        onnx.checker.check_model(model_path, full_check=True)
    except Exception as e:  # noqa: BLE001 - the checker's own message says what is wrong
        raise ExchangeError(f"onnx.checker rejects {model_path}: {e}") from e
    s = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    x = read_x(x_path, s.get_inputs()[0].shape[1])
    write_atomic(dst, json.dumps(s.run(["y"], {"x": x})[0].astype(np.float64).tolist()))


def titanic():
    with open(os.path.join(ROOT, "datasets", "data", "titanic_all_numeric.csv")) as f:
        rows = list(csv.reader(f))
    data = np.array([[float(v == "True") if v in ("True", "False") else float(v) for v in r] for r in rows[1:]])
    yi = rows[0].index("survived")
    return np.delete(data, yi, axis=1).astype("float32"), data[:, yi].astype(int)


def course_titanic(dst):
    """The course: Dense(32, relu), Dense(2, softmax); sgd; categorical_crossentropy; fit; model.save."""
    k = keras()
    k.utils.set_random_seed(0)
    x, y = titanic()
    model = k.Sequential([k.Input(shape=(x.shape[1],)), k.layers.Dense(32, activation="relu"), k.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, k.utils.to_categorical(y, 2), epochs=10, verbose=0)
    tmp = dst + ".tmp.keras"
    model.save(tmp)
    os.replace(tmp, dst)


def bad_dropout(dst):
    k = keras()
    model = k.Sequential([k.Input(shape=(10,)), k.layers.Dense(32, activation="relu"), k.layers.Dropout(0.5), k.layers.Dense(2, activation="softmax")])
    tmp = dst + ".tmp.keras"
    model.save(tmp)
    os.replace(tmp, dst)


COMMANDS = {"keras2nn": keras2nn, "nn2keras": nn2keras, "predict-keras": predict_keras,
            "predict-onnx": predict_onnx, "course-titanic": course_titanic, "bad-dropout": bad_dropout}
ARITY = {"keras2nn": 2, "nn2keras": 2, "predict-keras": 3, "predict-onnx": 3, "course-titanic": 1, "bad-dropout": 1}


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    i = 0
    while i < len(argv):
        cmd = argv[i]
        if cmd not in COMMANDS:
            print(f"exchange.py: unknown command {cmd!r}: use one of {', '.join(COMMANDS)}", file=sys.stderr)
            return 2
        args = argv[i + 1:i + 1 + ARITY[cmd]]
        if len(args) != ARITY[cmd]:
            print(f"exchange.py: {cmd} takes {ARITY[cmd]} paths, got {len(args)}", file=sys.stderr)
            return 2
        i += 1 + ARITY[cmd]
        for stale in (args[-1] + ".error",):
            if os.path.exists(stale):
                os.remove(stale)
        try:
            COMMANDS[cmd](*args)
        except (ExchangeError, OSError) as e:
            failed = True
            print(f"exchange.py {cmd}: {e}", file=sys.stderr)
            write_atomic(args[-1] + ".error", str(e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
