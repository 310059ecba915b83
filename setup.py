"""The compiled drawing loops (optional: without a C compiler artkit draws the same marks
with skia and Pillow, more slowly). Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

SHARED = ["artkit/_buffers.h"]   # the arrays-as-buffers code both loops include

setup(ext_modules=[
    Extension("artkit._discblit", ["artkit/_discblit.c"], depends=SHARED, optional=True),
    Extension("artkit._hairs", ["artkit/_hairs.c"], depends=SHARED, optional=True),
])
