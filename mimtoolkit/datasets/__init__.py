"""Datasets: the embedded photo set and Fashion-MNIST (plus every mmpretrain dataset)."""
from .fashion_mnist import OfflineFashionMNIST
from .skimage_photos import SKIMAGE_PHOTOS, SkimagePhotos
from .transforms import GrayToRGB

__all__ = ['SkimagePhotos', 'SKIMAGE_PHOTOS', 'OfflineFashionMNIST', 'GrayToRGB']
