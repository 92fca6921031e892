"""The optional C helper, cleaner._speedups (everything else is in pyproject.toml).

optional=True: where no C compiler is found, or the build fails, pip installs
cleaner without it, and cleaner uses its Python code, which gives the same
output (see cleaner/_speedups.c).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("cleaner._speedups", ["cleaner/_speedups.c"], optional=True)])
