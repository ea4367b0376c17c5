"""Only what pyproject.toml cannot say: the top-level `sessions/` folder ships inside the package as
`atelier.sessions` (its place in the checkout is fixed; the mapping is `package-dir` in pyproject.toml),
next to the packages found under `atelier/` (namespace packages too: `atelier/ui` has no __init__.py)."""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["atelier", "atelier.*"], exclude=["*__pycache__*"]),
                "atelier.sessions"])
