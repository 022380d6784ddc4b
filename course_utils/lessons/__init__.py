"""The code the notebooks teach, generated from them: ``nbNN.py`` holds notebook NN's cells marked ``#| export``.

Do not edit these modules: edit the notebook's cell, then run ``make sync``. ``scripts/`` holds the programs a
notebook writes to a file and runs (notebook 09's worker); they are package data, run and never imported.
Importing this package imports none of its modules.
"""
