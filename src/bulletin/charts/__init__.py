"""Charts (above findings): figures drawn from data, with alt text and a data table each."""
