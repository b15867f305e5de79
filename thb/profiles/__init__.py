"""Country profiles as data: `thb/profiles/<country>/*.yaml`, validated when loaded."""

from thb.profiles.loader import ProfileError, get_profile, load_profile

__all__ = ["ProfileError", "get_profile", "load_profile"]
