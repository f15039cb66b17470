"""Traditional consignment: outlets (warung, market stalls), drops, visits, settlement."""
