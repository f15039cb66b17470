"""The order inbox: marketplace order exports (Shopee, Tokopedia, TikTok Shop) read,
matched to the reseller's claimed products, previewed and saved as ordinary orders."""
