"""Functions the models, the datasets and the analyses share, below all three (DESIGN.md §1:
imports run downward): attention weights of a layer, MixedAE's TopK sampling accuracy, and
the image operations of the data transforms and the device-side preprocessor."""
from .attention_weights import attention_probs, encode_with_cls_attention, layer_attention
from .image_ops import JPEG_EOI, JPEG_SOI, is_jpeg, jitter_chw, pillow_gray
from .topk_accuracy import topk_sampling_accuracy

__all__ = ['attention_probs', 'encode_with_cls_attention', 'layer_attention',
           'topk_sampling_accuracy', 'JPEG_SOI', 'JPEG_EOI', 'is_jpeg', 'jitter_chw',
           'pillow_gray']
