"""Images per second of a training data pipeline, per core and through the dataloader, next to
the decode-only floor of the same files.

Per core: the pipeline's ``dataset[i]`` in this process with one torch and one OpenCV thread.
Through the loader: mmengine's ``Runner.build_dataloader`` with W worker processes (collation
included), the first batch excluded (worker start-up). Decode floors: the files' bytes read
and decoded to an RGB array by Pillow, OpenCV (mmcv's default backend), torchvision's
``decode_image`` (``decode_jpeg`` for a JPEG; deprecated from torchvision 0.29) and
TorchCodec's (what the tensor pipeline uses for non-JPEGs), one thread; and the batched JPEG
decode of the device-side path on the CPU, torchvision's ``decode_jpeg`` (before) against
TorchCodec's (now), every file in one call.
"""
import time
from typing import Callable, Dict, Sequence

import cv2
import numpy as np
import torch
from PIL import Image
from torchvision.io import ImageReadMode, decode_image, decode_jpeg, read_file

from mimtoolkit.datasets.image_decoding import decode_jpegs, decode_rgb
from mimtoolkit.functional.image_ops import is_jpeg


def _decode_pillow(path: str):
    with Image.open(path) as image:
        return np.asarray(image.convert('RGB'))


def _decode_opencv(path: str):
    with open(path, 'rb') as f:
        data = np.frombuffer(f.read(), np.uint8)
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _decode_torchvision(path: str):
    return decode_image(read_file(path), mode=ImageReadMode.RGB)  # decode_jpeg for a JPEG


def _decode_torchcodec(path: str):
    with open(path, 'rb') as f:
        return decode_rgb(f.read())


#: Decode-only floors: name -> (path -> decoded RGB image).
DECODERS: Dict[str, Callable[[str], object]] = {
    'Pillow': _decode_pillow, 'OpenCV': _decode_opencv,
    'torchvision decode_image': _decode_torchvision, 'TorchCodec decode_image': _decode_torchcodec}
#: Batched JPEG decodes on the CPU: name -> (list of 1-D byte tensors -> RGB images).
BATCH_DECODERS: Dict[str, Callable[[list], list]] = {
    'torchvision decode_jpeg, one batched call': lambda data: decode_jpeg(
        data, mode=ImageReadMode.RGB),
    'TorchCodec decode_jpegs, one batched call': lambda data: decode_jpegs(data, 'cpu')}


def one_thread() -> None:
    """One torch thread and one OpenCV thread in this process: a per-core measurement."""
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


def decode_rates(paths: Sequence[str]) -> Dict[str, float]:
    """Images/s of decoding ``paths`` (read + decode to RGB), per decoder, one thread; the
    batched decoders on the JPEGs among them."""
    rates = {}
    for name, decode in DECODERS.items():
        decode(paths[0])  # library start-up
        start = time.perf_counter()
        for path in paths:
            decode(path)
        rates[name] = len(paths) / (time.perf_counter() - start)
    jpegs = [p for p in paths if is_jpeg(open(p, 'rb').read(3))]
    for name, decode in BATCH_DECODERS.items():
        if not jpegs:
            break
        decode([read_file(jpegs[0])])  # library start-up
        start = time.perf_counter()
        decode([read_file(p) for p in jpegs])
        rates[name] = len(jpegs) / (time.perf_counter() - start)
    return rates


def pipeline_rate(dataset, num_images: int) -> float:
    """Images/s of ``dataset[i]`` (load + every transform) for the first ``num_images`` items,
    in this process (call :func:`one_thread` first for a per-core figure)."""
    dataset[0]  # lazy init, library start-up
    start = time.perf_counter()
    for i in range(num_images):
        dataset[i % len(dataset)]
    return num_images / (time.perf_counter() - start)


def loader_rate(loader_cfg: dict, num_batches: int) -> float:
    """Images/s through mmengine's dataloader built from ``loader_cfg`` (worker processes,
    sampler, collation), over ``num_batches`` batches after the first.

    Args:
        loader_cfg (dict): A ``train_dataloader`` config (its dataset built by the registry).
        num_batches (int): Timed batches.
    """
    from mmengine.runner import Runner
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    batches = iter(loader)
    next(batches)  # worker start-up and their first batch
    count, start = 0, time.perf_counter()
    for _ in range(num_batches):
        try:
            batch = next(batches)
        except StopIteration:
            batches = iter(loader)
            batch = next(batches)
        count += len(batch['inputs'])
    return count / (time.perf_counter() - start)


def preprocess_rate(preprocessor_cfg: dict, dataset, collate_cfg: dict, num_images: int,
                    batch_size: int) -> float:
    """Images/s of a model's data preprocessor on this CPU (one thread after
    :func:`one_thread`): the batches the dataset and collate function give, timed in the
    preprocessor alone (the cost of ``DeviceAugmentDataPreprocessor`` with
    ``device='cpu'``; on a GPU it runs there instead).

    Args:
        preprocessor_cfg (dict): ``model.data_preprocessor``.
        dataset: The train dataset (its pipeline runs untimed).
        collate_cfg (dict): ``train_dataloader.collate_fn``.
        num_images (int): Images timed, in batches of ``batch_size``.
        batch_size (int): Images a batch.
    """
    from mmengine.registry import FUNCTIONS

    from mimtoolkit.registry import MODELS
    preprocessor = MODELS.build(preprocessor_cfg)
    collate = FUNCTIONS.get(collate_cfg.get('type', 'pseudo_collate'))
    batches = [collate([dataset[(b + i) % len(dataset)] for i in range(batch_size)])
               for b in range(0, num_images, batch_size)]
    preprocessor(batches[0], True)  # library start-up
    start = time.perf_counter()
    count = sum(len(preprocessor(batch, True)['inputs']) for batch in batches)
    return count / (time.perf_counter() - start)


def cores_per_gpu(step_img_s: float, per_core_img_s: float) -> float:
    """CPU cores a GPU needs to be fed: its training images/s over one core's images/s."""
    return step_img_s / per_core_img_s
