"""Datasets: the embedded photo set, Fashion-MNIST and samplers (plus every mmpretrain dataset)."""
from .fashion_mnist import OfflineFashionMNIST
from .samplers import SemanticPairBatchSampler, dataset_labels
from .skimage_photos import SKIMAGE_PHOTOS, SkimagePhotos
from .transforms import CheckedLoadImageFromFile, GrayToRGB

__all__ = [
    'SkimagePhotos', 'SKIMAGE_PHOTOS', 'OfflineFashionMNIST', 'GrayToRGB',
    'CheckedLoadImageFromFile', 'SemanticPairBatchSampler', 'dataset_labels'
]
