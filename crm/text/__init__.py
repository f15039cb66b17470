"""Values written the Indonesian way: rupiah, words, percentages, phone numbers, dates."""
