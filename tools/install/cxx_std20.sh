#!/usr/bin/env bash
# Compiler wrapper for building mmcv 2.1.0 against torch >= 2.8.
# torch's headers need C++20 but mmcv's setup.py passes -std=c++17 last, so
# CXXFLAGS cannot override it; appending -std=c++20 after everything does.
exec "${REAL_CXX:-g++}" "$@" -std=c++20
