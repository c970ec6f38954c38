"""Pure rules of the registry: USCC, contacts, enterprise validation and change history, bulk-import rows,
and the key-emitter directory. Standard library only; reference tables are passed in."""
