"""The vocabulary every luocdo stage shares: document types, issuers, relations, namespaces."""
