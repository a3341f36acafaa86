"""Print what a config trains, read from the built model, optimizer and schedulers.

    python tools/analysis_tools/print_recipe.py CONFIG [--fields epochs lr ...] [--cfg-options ...]

Every field of ``mimtoolkit/engine/recipe_facts.py`` (the names docs/recipes.md
uses): epochs, batch, lr with auto_scale_lr applied, warm-up, schedule, optimizer,
weight decay and the parameter kinds exempt from it, clip, masker, decoder, loss
weights, augmentations, drop path, layer decay... Teachers and tokenizers are
given random stand-in weights (no checkpoint is read). A field that does not
apply to the config prints ``-``.
"""
import argparse
import os.path as osp
import sys
import tempfile

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description='the recipe a config trains')
    parser.add_argument('config', help='config file')
    parser.add_argument('--fields', nargs='+', help='only these fields')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    import logging

    from mmengine.config import Config
    from mmengine.logging import MMLogger

    from mimtoolkit.engine.recipe_facts import FIELDS, RecipeFacts
    from mimtoolkit.models.targets import use_stand_in_weights
    args = parse_args(argv)
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    with tempfile.TemporaryDirectory() as tmp:
        use_stand_in_weights(cfg.model, tmp, {})
        facts = RecipeFacts(cfg, args.config)
        for field in args.fields or FIELDS:
            value = facts.value(field)
            print(f'{field:20s} {"-" if value is None else value}')


if __name__ == '__main__':
    run_cli(main)
