"""The consultation's understanding, measured on answers written the way real clients write."""
