"""Print the parts catalogue: every registered part by kind (docs/parts.md is its output).

    python tools/misc/print_parts.py [--out docs/parts.md]

The same as ``python -m mimtoolkit.parts``: each part's arguments with their defaults and
allowed values, its source (paper section, library class it wraps), and the pretrainers that
accept it, answered by building and training one tiny step of it in each (a few seconds).
"""
import argparse
import logging
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='the catalogue of registered parts')
    parser.add_argument('--out', help='write the markdown here instead of printing it')
    args = parser.parse_args(argv)
    from mmengine.logging import MMLogger

    import mimtoolkit  # noqa: F401  (registers every part)
    from mimtoolkit.parts.catalogue import render
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    text = render() + '\n'
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
