# Kept for catalog/migrations/0003_load_ocop_sets, which imports the list from here; the list
# itself lives with the models it fills, in marketplace.taxonomy.
from marketplace.taxonomy.ocop_sets import GROUPS, SETS, group_number  # noqa: F401
