"""Messages to people outside the site (SMS), through pluggable backends like Django's email."""
