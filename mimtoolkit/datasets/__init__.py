"""Datasets: the embedded photo set, Fashion-MNIST, tar shards and samplers (plus every
mmpretrain dataset)."""
from .fashion_mnist import OfflineFashionMNIST
from .samplers import SemanticPairBatchSampler, ShardSampler, dataset_labels
from .skimage_photos import SKIMAGE_PHOTOS, SkimagePhotos
from .tar_shard_dataset import TarShardDataset
from .transforms import CheckedLoadImageFromFile, GrayToRGB

__all__ = [
    'SkimagePhotos', 'SKIMAGE_PHOTOS', 'OfflineFashionMNIST', 'GrayToRGB',
    'CheckedLoadImageFromFile', 'SemanticPairBatchSampler', 'ShardSampler', 'TarShardDataset',
    'dataset_labels'
]
