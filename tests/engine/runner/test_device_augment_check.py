"""A Deferred* pipeline without its draws in PackInputs, pseudo_collate or
DeviceAugmentDataPreprocessor is refused at start-up with the key to set; the shipped
device-aug config passes."""
import pytest
from mmengine.config import Config

from mimtoolkit.engine.runner.device_augment_check import check_device_augment
from mimtoolkit.utils import ConfigError

DEVICE_AUG = 'configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k_device-aug.py'


def test_the_shipped_device_aug_config_passes_and_its_parts_are_needed():
    cfg = Config.fromfile(DEVICE_AUG)
    check_device_augment(cfg)
    no_collate = cfg.copy()
    no_collate.merge_from_dict({'train_dataloader.collate_fn.type': 'default_collate'})
    with pytest.raises(ConfigError, match=r"collate_fn type='default_collate' is invalid with "
                       r"DeferredRandomResizedCrop.*pseudo_collate"):
        check_device_augment(no_collate)
    plain = cfg.copy()
    plain.merge_from_dict({'model.data_preprocessor.type': 'SelfSupDataPreprocessor'})
    with pytest.raises(ConfigError, match=r"data_preprocessor type='SelfSupDataPreprocessor' "
                       r"is invalid.*DeviceAugmentDataPreprocessor"):
        check_device_augment(plain)
    old_keys = cfg.copy()  # the loose keys of before the typed hand-off
    old_keys.train_dataloader.dataset.pipeline[-1].meta_keys = ('img_path', 'crop_box', 'flip')
    with pytest.raises(ConfigError, match=r"PackInputs meta_keys=\('img_path', 'crop_box', "
                       r"'flip'\) is invalid .* include 'device_aug'"):
        check_device_augment(old_keys)


def test_a_config_without_deferred_transforms_is_left_alone():
    check_device_augment(Config.fromfile(DEVICE_AUG.replace('_device-aug', '')))
