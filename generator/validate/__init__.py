"""Checking the source: each file against its model, then the files against each other."""

from generator.validate.handbook import load_handbook

__all__ = ["load_handbook"]
