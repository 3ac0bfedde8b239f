"""Village Assistance Casebook: load, validate, export and render village-assistance cases."""

__version__ = "0.1.0"
