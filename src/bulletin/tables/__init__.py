"""Tables (above findings): accessible table models and the open-data files behind them."""
