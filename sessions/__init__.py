"""This folder is also the package `atelier.sessions` (mapped in pyproject.toml): the code reads these scenario
files through importlib.resources, the same way from a checkout and from an installed wheel."""
