"""Target generators: what a MIM head regresses (HOG, tokenizers, frozen teachers)."""
from .patch_hog_generator import PatchHOGGenerator

__all__ = ['PatchHOGGenerator']
