"""Notebook 06's trained CNN, saved with a record of how it was made, and reused by later notebooks.

The tutorial's models themselves are the notebooks' code: ``tutorial_cnn`` in :mod:`course_utils.lessons.nb06`,
``tutorial_lstm`` in :mod:`course_utils.lessons.nb07`, generated from notebooks 06 and 07.
"""

from __future__ import annotations

import errno
import json
import os
import time
import uuid
from pathlib import Path

from course_utils.datasets import data_dir
from course_utils.lessons.nb06 import tutorial_cnn

CNN_FILENAME = "mnist_cnn.keras"


def cnn_path() -> Path:
    """Where notebook 06 saves its trained CNN."""
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path / CNN_FILENAME


def prepare_digits(images):
    """uint8 N×28×28 → float32 N×28×28×1 in [0, 1]."""
    return (images[..., None] / 255.0).astype("float32")


# ---------------------------------------------------------------------------- the saved CNN and how it was made

MODE_RANK = {"smoke": 0, "cpu": 1, "full": 2}  # a model trained in a larger mode serves a smaller one


class ModelSaveError(OSError):
    """The model could not be saved (e.g. the disk is full); nothing partial was left behind."""


def provenance_path(path: Path) -> Path:
    """The sidecar file that records how the model at ``path`` was made: ``mnist_cnn.keras.json``."""
    return path.with_name(path.name + ".json")


def _write_atomically(path: Path, write) -> None:
    """Call ``write(tmp)`` on a temporary file in ``path``'s folder, then rename it over ``path``.

    A reader never sees half a file; on any error the temporary file is removed and ``path`` is untouched.
    A full disk (``ENOSPC``) becomes a :class:`ModelSaveError` that says what to do.
    """
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)  # atomic on POSIX and Windows when both are in the same folder
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if err.errno == errno.ENOSPC:
            raise ModelSaveError(
                errno.ENOSPC,
                f"The disk is full: could not save {path.name} in {path.parent}. Nothing was written. "
                f"Free some space there, or set COURSE_DATA_DIR to a folder on a disk with room, then rerun this cell.",
            ) from err
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save_cnn(model, *, mode: str, data_name: str, is_fallback: bool, epochs: int, num_train: int, **extra) -> Path:
    """Save notebook 06's CNN atomically, with a sidecar JSON that records how it was made.

    The sidecar holds the run mode, the data (name, fallback or not, images used), the epochs, the course,
    Keras and backend versions, anything in ``extra`` (e.g. the test accuracy) and the model file's SHA-256,
    so that a reader can tell a sidecar that does not describe the file next to it.
    """
    import keras

    from course_utils import __version__
    from course_utils.datasets import sha256

    path = cnn_path()
    _write_atomically(path, lambda tmp: model.save(tmp))
    record = {
        "mode": str(getattr(mode, "value", mode)),
        "data": data_name,
        "is_fallback": bool(is_fallback),
        "num_train": int(num_train),
        "epochs": int(epochs),
        "course_version": __version__,
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sha256": sha256(path),
        **extra,
    }
    _write_atomically(provenance_path(path), lambda tmp: tmp.write_text(json.dumps(record, indent=2)))
    return path


def read_provenance(path: Path) -> dict | None:
    """The sidecar's record for the model at ``path``; ``None`` when missing or unreadable."""
    try:
        return json.loads(provenance_path(path).read_text())
    except (OSError, ValueError):
        return None


def reuse_problem(path: Path, mode: str, data_name: str) -> str | None:
    """Why the saved model at ``path`` does not fit a notebook running in ``mode`` on ``data_name``; None if it fits."""
    from course_utils import __version__
    from course_utils.datasets import sha256

    mode = str(getattr(mode, "value", mode))
    if not path.exists():
        return f"no trained CNN at {path}"
    record = read_provenance(path)
    if record is None:
        return f"{path.name} has no readable record of how it was made ({provenance_path(path).name})"
    if record.get("sha256") != sha256(path):
        return f"{provenance_path(path).name} describes another file than {path.name} (a save was interrupted?)"
    if record.get("data") != data_name:
        return f"it was trained on {record.get('data')!r}, this notebook uses {data_name!r}"
    if MODE_RANK.get(record.get("mode"), -1) < MODE_RANK.get(mode, 0):
        return f"it was trained in '{record.get('mode')}' mode ({record.get('epochs')} epochs), smaller than '{mode}'"
    if record.get("course_version") != __version__:
        return f"it was saved by course version {record.get('course_version')}, this is {__version__}"
    return None


def load_or_train_cnn(max_train: int = 60000, epochs: int = 2, verbose: int = 2, *, mode=None):
    """Notebook 06's trained CNN from ``data/models`` when it fits this run; otherwise train it now, saying why.

    It fits when its sidecar says it was trained on the same data (real MNIST or the fallback) in the same
    or a larger run mode (``mode``, default: ``COURSE_MODE``) by this version of the course. Returns
    ``(model, data)`` where ``data`` is the :class:`~course_utils.datasets.ImageData` used.
    """
    import keras

    from course_utils.datasets import load_mnist
    from course_utils.modes import get_mode

    mode = get_mode() if mode is None else mode
    data = load_mnist()
    path = cnn_path()
    problem = reuse_problem(path, mode, data.name)
    if problem is None:
        try:
            model = keras.models.load_model(path)
            print(f"Loaded notebook 06's CNN from {path} (trained in {read_provenance(path)['mode']} mode).")
            return model, data
        except (OSError, ValueError) as err:
            problem = f"{path} could not be loaded ({err})"
    print(f"⚠ Not reusing the saved CNN: {problem}.")
    print(f"Training the tutorial's CNN now ({epochs} epoch(s) on {data.name}).")
    model = tutorial_cnn()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    y_train = keras.utils.to_categorical(data.y_train[:max_train], 10)
    x_train = prepare_digits(data.x_train[:max_train])
    from course_utils.training import out_of_memory_advice

    with out_of_memory_advice(128, where="course_utils.models.load_or_train_cnn"):
        model.fit(x_train, y_train, epochs=epochs, batch_size=128, verbose=verbose)
    save_cnn(model, mode=mode, data_name=data.name, is_fallback=data.is_fallback, epochs=epochs, num_train=len(x_train))
    return model, data
