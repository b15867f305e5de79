"""THB: the information system of a country's counter-trafficking mechanism."""

__version__ = "0.1.0"
