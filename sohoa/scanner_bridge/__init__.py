"""Where scans come from, as files: the counter's scanner through SANE's ``scanimage``
(:mod:`.sane`; network scanners over eSCL/AirScan through SANE's ``airscan`` backend,
:mod:`.escl`), and a hot folder that scanner software writes into (:mod:`.hotfolder`, with
its ledger and file moves). Each hands over finished files; what becomes of them is the
intake's business (:mod:`sohoa.services.feeds`, :mod:`sohoa.services.counter`)."""
