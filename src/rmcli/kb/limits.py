"""Size limits: input over these is refused before it is parsed."""

MAX_FILE_BYTES = 5 * 1024 * 1024  # one knowledge-base file
MAX_KB_BYTES = 64 * 1024 * 1024  # a whole knowledge base (1,000 therapies fit)
