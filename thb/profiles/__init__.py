"""Country profiles as data: `thb/profiles/<country>/*.yaml`, validated when loaded."""

from thb.profiles.loader import ProfileError, code_set, get_profile, load_profile

__all__ = ["ProfileError", "code_set", "get_profile", "load_profile"]
