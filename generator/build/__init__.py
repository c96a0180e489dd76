"""The build engine: caches, the helper process, the forms pool, and the adapters fencing in host internals.

Between render (pure: model in, text or bytes out) and publish (whole builds and editions): every
file, process and cache this tool touches while building is here. See ARCHITECTURE.md.
"""
