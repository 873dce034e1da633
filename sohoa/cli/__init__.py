"""The ``sohoa`` command line: :mod:`.main` parses, reads the settings and maps errors to
exit codes; each sub-command is one module of :mod:`.commands` (``add_parser`` + ``run``)
that only parses its options, calls the services and prints. :mod:`.report` and
:mod:`.progress` are what several commands show the same way."""
