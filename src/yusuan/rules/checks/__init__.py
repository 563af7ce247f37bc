"""The rules, one module per group; every module here is imported by ``engine.load_rules``."""
