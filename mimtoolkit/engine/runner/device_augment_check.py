"""Refuse, at start-up, a device-side augmentation config whose parts do not fit together."""
from mimtoolkit.utils import ConfigError

DEFERRED = ('DeferredRandomResizedCrop', 'DeferredRandomFlip', 'DeferredColorJitter')
PREPROCESSOR = 'DeviceAugmentDataPreprocessor'


def _name(cfg) -> str:
    """A part's registered name without its scope ('mimtoolkit.X' -> 'X')."""
    return str(cfg.get('type', '')).split('.')[-1] if isinstance(cfg, dict) else ''


def check_device_augment(cfg) -> None:
    """A train pipeline with ``Deferred*`` transforms needs ``PackInputs`` to carry their
    draws (``meta_keys`` with ``'device_aug'``), ``pseudo_collate`` (the images differ in
    size) and ``DeviceAugmentDataPreprocessor`` (which applies them); without them the run
    would fail deep inside collation or the model.

    Raises:
        ConfigError: Naming the key to set.
    """
    loader = cfg.get('train_dataloader') or {}
    dataset = loader.get('dataset', {}) if isinstance(loader, dict) else {}
    pipeline = dataset.get('pipeline', []) if isinstance(dataset, dict) else []
    deferred = [_name(t) for t in pipeline if _name(t) in DEFERRED]
    if not deferred:
        return
    packs = [t for t in pipeline if _name(t) == 'PackInputs']
    keys = tuple(packs[-1].get('meta_keys', ())) if packs else ()
    if 'device_aug' not in keys:
        raise ConfigError(f"train_dataloader.dataset.pipeline PackInputs meta_keys={keys!r} "
                          f"is invalid with {deferred[0]} in the pipeline: expected them to "
                          "include 'device_aug' (the draws the device applies)")
    collate = _name(loader.get('collate_fn') or {})
    if collate != 'pseudo_collate':
        raise ConfigError(f"train_dataloader.collate_fn type={collate!r} is invalid with "
                          f"{deferred[0]} in the pipeline: expected "
                          "dict(type='pseudo_collate') (the images still differ in size)")
    preprocessor = _name(cfg.get('model', {}).get('data_preprocessor') or {})
    if preprocessor != PREPROCESSOR:
        raise ConfigError(f'model.data_preprocessor type={preprocessor!r} is invalid with '
                          f'{deferred[0]} in the pipeline: expected '
                          f"dict(type='{PREPROCESSOR}'), which applies the drawn crops and flips")
