"""The parts catalogue: every registered part by kind, from the registry and the build checks.

``python -m mimtoolkit.parts`` (or ``tools/misc/print_parts.py``) prints it; docs/parts.md is
its output.
"""
