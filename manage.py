#!/usr/bin/env python
"""Django's manage.py; `thb` (thb/__main__.py) is the same with short names."""

from thb.__main__ import main

if __name__ == "__main__":
    main()
