"""Make a test kernel believe it runs on Colab: Colab's kernel imports `google.colab` at start-up.

`make test-colab` puts this folder on PYTHONPATH, so every notebook's setup cell takes its real Colab branch
(installs course_utils with --no-deps from $COURSE_INSTALL_SOURCE, and ai-edge-litert).
"""

import google.colab  # noqa: F401  (the stand-in beside this file)
