"""After `make test-colab`: the notebooks' own setup cell installed course_utils (and ai-edge-litert) into the
Colab environment, and left Colab's packages (TensorFlow, Keras, NumPy...) exactly at Colab's versions."""

import sys
from importlib import metadata
from pathlib import Path

import course_utils


def main(requirements: str) -> int:
    problems = []
    where = Path(course_utils.__file__).resolve()
    if "site-packages" not in where.parts:
        problems.append(f"course_utils was imported from {where}, not installed by the setup cell")
    for name in ("course_utils", "ai-edge-litert"):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed: the setup cell did not install it")
    for line in Path(requirements).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        name, pinned = line.split("==")
        have = metadata.version(name)
        if have != pinned:
            problems.append(f"{name} is {have}, Colab has {pinned}: something reinstalled it")
    print(
        "\n".join(problems)
        or "Colab environment intact: Colab's versions untouched, course_utils installed by the setup cell."
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
