"""A stand-in for Colab's `google.colab` module, for `make test-colab` only.

`google` stays a namespace package (no `google/__init__.py` here), so protobuf's `google.protobuf` still imports.
The course only tests for the module's presence; nothing of Colab's API is imitated.
"""

STANDIN = True
