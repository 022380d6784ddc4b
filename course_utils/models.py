"""The tutorial's models, as later notebooks reuse them, and the saved CNN of notebook 06.

Notebooks 06 and 07 write these definitions out in the open (they are the lesson);
tests keep the notebooks' copies and these equal.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.datasets import data_dir

CNN_FILENAME = "mnist_cnn.keras"


def tutorial_cnn():
    """The tutorial's CNN: 3 Conv2D, 2 MaxPooling, Flatten, Dense 64, Dense 10 softmax."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax", dtype="float32"),
        ],
        name="tutorial_cnn",
    )
    return model


def tutorial_lstm(vocab_size=1000, seq_len=20):
    """The tutorial's text model: Embedding 1000 → 128 on 20-word inputs, LSTM 128, Dense 1000 softmax."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(seq_len,)),
            layers.Embedding(input_dim=vocab_size, output_dim=128),
            layers.LSTM(128),
            layers.Dense(vocab_size, activation="softmax", dtype="float32"),
        ],
        name="tutorial_lstm",
    )
    return model


def cnn_path() -> Path:
    """Where notebook 06 saves its trained CNN."""
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path / CNN_FILENAME


def prepare_digits(images):
    """uint8 N×28×28 → float32 N×28×28×1 in [0, 1]."""
    return (images[..., None] / 255.0).astype("float32")


def load_or_train_cnn(max_train: int = 60000, epochs: int = 2, verbose: int = 2):
    """Notebook 06's trained CNN from ``data/models``; when missing, train it now (and save it).

    Returns ``(model, data)`` where ``data`` is the :class:`~course_utils.datasets.ImageData`
    used (real MNIST, or the labelled fallback offline).
    """
    import keras

    from course_utils.datasets import load_mnist

    data = load_mnist()
    path = cnn_path()
    if path.exists():
        try:
            model = keras.models.load_model(path)
            print(f"Loaded notebook 06's CNN from {path}.")
            return model, data
        except (OSError, ValueError) as err:
            print(f"⚠ {path} could not be loaded ({err}); training the CNN again.")
    print(f"No trained CNN at {path}: training the tutorial's CNN now ({epochs} epoch(s) on {data.name}).")
    model = tutorial_cnn()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    y_train = keras.utils.to_categorical(data.y_train[:max_train], 10)
    model.fit(prepare_digits(data.x_train[:max_train]), y_train, epochs=epochs, batch_size=128, verbose=verbose)
    model.save(path)
    return model, data
