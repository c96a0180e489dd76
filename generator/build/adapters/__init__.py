"""One module per host whose internals a build touches (MkDocs, Material for MkDocs).

Each patches only for the length of a build, puts the host back on success and on error, and
checks the host's version: with one it was not tested against, it logs one line and the build
runs uncached and unpatched.
"""
