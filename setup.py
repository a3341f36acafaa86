"""Installs mimtoolkit; metadata lives in setup.cfg.

Like mmpretrain, the configs, tools and model index ship inside the package under
``mimtoolkit/.mim`` (symlinks for an editable install, copies otherwise), so
``Config.fromfile('mimtoolkit::mae/...py')`` and mmseg/mmdet configs inheriting
``'mimtoolkit::...'`` resolve wherever the package is installed.
"""
import os
import os.path as osp
import shutil
import sys

from setuptools import setup

MIM_FILES = ('configs', 'tools', 'model-index.yml')


def add_mim_extension() -> None:
    """Link (editable) or copy (wheel) configs/, tools/ and model-index.yml into mimtoolkit/.mim."""
    editable = any(arg in sys.argv for arg in ('develop', 'editable_wheel'))
    root = osp.dirname(osp.abspath(__file__))
    mim_dir = osp.join(root, 'mimtoolkit', '.mim')
    os.makedirs(mim_dir, exist_ok=True)
    for name in MIM_FILES:
        src, dst = osp.join(root, name), osp.join(mim_dir, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if editable:
            os.symlink(osp.relpath(src, mim_dir), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


add_mim_extension()
setup()
