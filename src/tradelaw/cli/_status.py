"""The command's exit statuses."""

#: Success.
EXIT_OK = 0
#: A duty could not be resolved (an unknown rate, measures that tie).
EXIT_UNRESOLVED = 1
#: Bad usage or bad input (an option, a file, a row).
EXIT_INPUT = 2
