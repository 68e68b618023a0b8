"""The desk's read-only data (seed, translations), installed as ``rayong_desktop.resources``.

Read it through ``rayong_desktop.paths.resource_path``, never relative to this file's folder.
"""
