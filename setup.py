"""The optional C helper, cleaner._speedups (everything else is in pyproject.toml).

optional=True: where no C compiler is found, or the build fails, pip installs
cleaner without it, and cleaner uses its Python code, which gives the same
output (see cleaner/_speedups.c).
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """Floating point as written: a compiler may fuse a * b + c into one
    instruction (gcc does by default where the target has one, as on ARM), and
    the helper's sums must be Python's to the last bit."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":  # gcc and clang
            for extension in self.extensions:
                extension.extra_compile_args.append("-ffp-contract=off")
        super().build_extensions()


setup(
    ext_modules=[Extension("cleaner._speedups", ["cleaner/_speedups.c"], optional=True)],
    cmdclass={"build_ext": BuildExt},
)
