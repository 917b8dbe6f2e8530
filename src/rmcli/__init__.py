"""rmcli: cited evidence on immunomodulatory therapy for recurrent miscarriage."""

__version__ = "0.1.0"
