"""Pure digitization library: load → quality → orient → deskew → ocr → assemble → sign.

Nothing here imports a web framework, a queue or a database; stages take and return plain
values (numpy arrays, bytes, dataclasses) so workers, the CLI and tests call them alike.
"""
