"""How long things take in the window: status messages, autosave, and checks of the file on disk (milliseconds)."""

STATUS_TIMEOUT_MS = 5000  # a status-bar message stays this long
AUTOSAVE_DELAY_MS = 1500  # every change is on disk within two seconds
DISK_CHECK_MS = 2000  # how often the annotation file on disk is compared with what was last read or written
ANNOUNCE_AFTER_MS = 1000  # the log's start line (with the version, 20 ms to read) written once the window is up
