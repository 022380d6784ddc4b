"""Maintainer tools: not part of the installed ``course_utils`` (learners never need them).

Run them from the repository root (the Makefile's targets do): ``python -m tools.<name> --help``.
"""
