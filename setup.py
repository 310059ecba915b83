"""The compiled drawing loops (optional: without a C compiler artkit draws the same marks
with skia and Pillow, more slowly). Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("artkit._discblit", ["artkit/_discblit.c"], optional=True),
    Extension("artkit._hairs", ["artkit/_hairs.c"], optional=True),
])
