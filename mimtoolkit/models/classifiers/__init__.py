"""Classifiers built from fine-tuned ones."""
from .classifier_ensemble import ClassifierEnsemble

__all__ = ['ClassifierEnsemble']
